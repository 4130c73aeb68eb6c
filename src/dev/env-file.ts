/**
 * Sets variables in the text of a .env file, never a value that is already set: a blank `NAME=`
 * line is filled where it stands, a variable the file lacks is appended. Commented lines are left
 * as they are.
 */
export function setUnsetVariables(
  text: string,
  values: Record<string, string>,
): { text: string; set: string[]; kept: string[] } {
  const lines = text === '' ? [] : text.replace(/\r?\n$/, '').split(/\r?\n/);
  const set: string[] = [];
  const kept: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    const index = lines.findIndex((line) => new RegExp(`^\\s*(export\\s+)?${name}\\s*=`).test(line));
    const current = index < 0 ? '' : lines[index].slice(lines[index].indexOf('=') + 1).trim();
    if (current !== '' && current !== '""' && current !== "''") {
      kept.push(name);
      continue;
    }
    const line = `${name}=${value}`;
    if (index < 0) lines.push(line);
    else lines[index] = line;
    set.push(name);
  }
  return { text: `${lines.join('\n')}\n`, set, kept };
}
