import { z } from 'zod';
import { cursorKey, SignedCursors } from './signed-cursors';

const position = z.strictObject({ i: z.string().regex(/^orgmem_\w+$/), t: z.number().int().nullable() });
const cursors = new SignedCursors(cursorKey(['sk_test_one']));

describe('SignedCursors', () => {
  it('reads back its own cursor for the same scope', () => {
    const cursor = cursors.write('members:org_1', { i: 'orgmem_1', t: 5 });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(cursors.read('members:org_1', cursor, position)).toEqual({ i: 'orgmem_1', t: 5 });
  });

  it('refuses a cursor of another scope, another key, or with any change', () => {
    const cursor = cursors.write('members:org_1', { i: 'orgmem_1', t: 5 });
    expect(cursors.read('members:org_2', cursor, position)).toBeUndefined();
    expect(new SignedCursors(cursorKey(['sk_test_two'])).read('members:org_1', cursor, position)).toBeUndefined();
    const [body, signature] = cursor.split('.');
    const forged = Buffer.from(JSON.stringify({ i: 'orgmem_0', t: 0 })).toString('base64url');
    for (const bad of [
      `${forged}.${signature}`,
      `${body}.${signature.slice(1)}`,
      `${body}x.${signature}`,
      body,
      `${cursor}.x`,
      '',
      '.',
      'x'.repeat(5000),
    ]) {
      expect(cursors.read('members:org_1', bad, position)).toBeUndefined();
    }
  });

  it('refuses a signed position its schema does not accept', () => {
    const cursor = cursors.write('members:org_1', { i: { $gt: '' }, t: 5 });
    expect(cursors.read('members:org_1', cursor, position)).toBeUndefined();
  });

  it('derives the same key from the same secrets, so instances of one deployment agree', () => {
    expect(cursorKey(['a', undefined, 'b'])).toEqual(cursorKey(['a', 'b']));
    expect(cursorKey([undefined])).toEqual(cursorKey([]));
  });
});
