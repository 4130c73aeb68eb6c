import { BACKSLASH, CLOSE_ARRAY, CLOSE_OBJECT, OPEN_ARRAY, OPEN_OBJECT, QUOTE } from './json-depth';

/**
 * How many entries (an object's keys, an array's items) a JSON body may hold, counted on the text
 * before anything parses or validates it: the validation pipe's cost grew faster than the number
 * of keys (a 979 kB PATCH /me body of 90,000 unknown keys held the event loop for 8-11 s).
 */
export interface JsonEntryLimits {
  /** Entries of any one object or array. */
  perContainer: number;
  /** Entries of all objects and arrays together. */
  total: number;
}

/** PATCH /me's body is one key; every JSON body the service parses itself is as small. */
export const REQUEST_BODY_LIMITS: JsonEntryLimits = { perContainer: 32, total: 256 };

/**
 * A Clerk event after its signature verified: a user with every kind of identifier and Clerk's
 * metadata (at most 8 KiB each) stays far below these; a 1 MiB body could hold ~150,000.
 */
export const WEBHOOK_BODY_LIMITS: JsonEntryLimits = { perContainer: 5_000, total: 20_000 };

const COMMA = 0x2c;
const isSpace = (code: number) => code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;

/**
 * Why the JSON text holds too many entries, naming the limit it passed, or undefined when it is
 * within `limits`. Linear in the text; malformed JSON is left to the parser that follows.
 */
export function jsonEntriesProblem(text: string, limits: JsonEntryLimits): string | undefined {
  const counts: number[] = [];
  const isArray: boolean[] = [];
  let total = 0;
  let inString = false;
  let entryMayStart = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === BACKSLASH) index++;
      else if (code === QUOTE) inString = false;
      continue;
    }
    if (isSpace(code)) continue;
    if (entryMayStart && code !== CLOSE_OBJECT && code !== CLOSE_ARRAY) {
      entryMayStart = false;
      const top = counts.length - 1;
      if (++counts[top] > limits.perContainer) {
        return isArray[top]
          ? `The request body has an array of more than ${limits.perContainer} items`
          : `The request body has an object with more than ${limits.perContainer} keys`;
      }
      if (++total > limits.total) {
        return `The request body has more than ${limits.total} keys and array items in all`;
      }
    }
    if (code === QUOTE) {
      inString = true;
    } else if (code === OPEN_OBJECT || code === OPEN_ARRAY) {
      counts.push(0);
      isArray.push(code === OPEN_ARRAY);
      entryMayStart = true;
    } else if (code === CLOSE_OBJECT || code === CLOSE_ARRAY) {
      counts.pop();
      isArray.pop();
      entryMayStart = false;
    } else if (code === COMMA) {
      entryMayStart = counts.length > 0;
    }
  }
  return undefined;
}
