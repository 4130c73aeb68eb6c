import { escapeControlCharacters, escapeLogArguments } from './control-characters';

describe('escapeControlCharacters', () => {
  it('keeps printable text as it is, Unicode included', () => {
    expect(escapeControlCharacters('POST /webhooks/clerk 200 user.deleted é ✓')).toBe(
      'POST /webhooks/clerk 200 user.deleted é ✓',
    );
  });

  it('escapes newlines, carriage returns, tabs, ANSI escapes, DEL, C1 and line separators', () => {
    expect(escapeControlCharacters('a\nb\rc\td\u001b[31me\u007ff\u0085g\u2028h')).toBe(
      'a\\nb\\rc\\td\\u001b[31me\\u007ff\\u0085g\\u2028h',
    );
  });
});

describe('escapeLogArguments', () => {
  it('escapes the message and the top-level strings of the merged object, leaving the original untouched', () => {
    const fields = { type: 'user.deleted\nINFO: forged', count: 2 };
    expect(escapeLogArguments([fields, 'kid "x\n"'])).toEqual([
      { type: 'user.deleted\\nINFO: forged', count: 2 },
      'kid "x\\n"',
    ]);
    expect(fields.type).toBe('user.deleted\nINFO: forged');
  });

  it('passes errors and clean objects through as they are', () => {
    const error = new Error('x');
    const clean = { a: 'b' };
    const [first, second] = escapeLogArguments([error, clean]);
    expect(first).toBe(error);
    expect(second).toBe(clean);
  });
});
