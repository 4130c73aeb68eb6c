const linesOf = (text: string): string[] => (text === '' ? [] : text.replace(/\r?\n$/, '').split(/\r?\n/));
const indexOf = (lines: string[], name: string): number =>
  lines.findIndex((line) => new RegExp(`^\\s*(export\\s+)?${name}\\s*=`).test(line));

/** Whether the .env text gives `name` a value (a blank or empty-quoted one counts as unset). */
export function isVariableSet(text: string, name: string): boolean {
  const lines = linesOf(text);
  const index = indexOf(lines, name);
  const current = index < 0 ? '' : lines[index].slice(lines[index].indexOf('=') + 1).trim();
  return current !== '' && current !== '""' && current !== "''";
}

/**
 * Sets variables in the text of a .env file, never a value that is already set: a blank `NAME=`
 * line is filled where it stands, a variable the file lacks is appended. Commented lines are left
 * as they are.
 */
export function setUnsetVariables(
  text: string,
  values: Record<string, string>,
): { text: string; set: string[]; kept: string[] } {
  const lines = linesOf(text);
  const set: string[] = [];
  const kept: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    if (isVariableSet(text, name)) {
      kept.push(name);
      continue;
    }
    const index = indexOf(lines, name);
    const line = `${name}=${value}`;
    if (index < 0) lines.push(line);
    else lines[index] = line;
    set.push(name);
  }
  return { text: `${lines.join('\n')}\n`, set, kept };
}
