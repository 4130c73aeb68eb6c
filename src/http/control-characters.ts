/** C0 and C1 control characters, DEL, and the Unicode line and paragraph separators. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * A value from outside as one line can show it: control characters escaped as JSON escapes them
 * (`\n`, `\u001b`), so that a kid, an azp, an svix-id or an SDK message cannot end a pretty log
 * line and forge the next one, nor colour the terminal.
 */
export function escapeControlCharacters(text: string): string {
  return text.replace(CONTROL, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A log call's arguments with every string (the message, the merged object's top-level fields) escaped. */
export function escapeLogArguments(args: unknown[]): unknown[] {
  return args.map((arg) => {
    if (typeof arg === 'string') return escapeControlCharacters(arg);
    if (arg === null || typeof arg !== 'object' || arg instanceof Error || Array.isArray(arg)) return arg;
    let escaped: Record<string, unknown> | undefined;
    for (const [name, value] of Object.entries(arg)) {
      if (typeof value !== 'string') continue;
      const safe = escapeControlCharacters(value);
      if (safe !== value) (escaped ??= { ...arg })[name] = safe;
    }
    return escaped ?? arg;
  });
}
