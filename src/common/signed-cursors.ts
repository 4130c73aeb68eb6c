import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';

/** Far longer than any cursor this service writes. */
const MAX_CURSOR_LENGTH = 1_000;
/** Used when no secret is configured (development): cursors then hold for this process only. */
const PROCESS_KEY = randomBytes(32);

/**
 * The key that signs page cursors, derived from the service's own secrets, so that every
 * instance of one deployment reads the others' cursors; a random one per process without them.
 */
export function cursorKey(secrets: readonly (string | undefined)[]): Buffer {
  const material = secrets.filter(Boolean).join('\n');
  if (!material) return PROCESS_KEY;
  return Buffer.from(hkdfSync('sha256', material, 'clerk-user-sync', 'page-cursor', 32));
}

/**
 * Opaque page cursors: a position, serialized and signed (HMAC-SHA256) for one scope (a route and
 * its subject), so that only a cursor this service wrote for that very list is read back, and its
 * position is then checked against a schema before any query sees it.
 */
export class SignedCursors {
  constructor(private readonly key: Buffer) {}

  write(scope: string, position: unknown): string {
    const body = Buffer.from(JSON.stringify(position)).toString('base64url');
    return `${body}.${this.sign(scope, body)}`;
  }

  /** The position, or undefined when the cursor is not one this service wrote for this scope. */
  read<T extends z.ZodType>(scope: string, cursor: string, schema: T): z.infer<T> | undefined {
    if (cursor.length > MAX_CURSOR_LENGTH) return undefined;
    const [body, signature, ...rest] = cursor.split('.');
    if (rest.length || !body || !signature) return undefined;
    const expected = Buffer.from(this.sign(scope, body));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    let position: unknown;
    try {
      position = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    const parsed = schema.safeParse(position);
    return parsed.success ? parsed.data : undefined;
  }

  private sign(scope: string, body: string): string {
    return createHmac('sha256', this.key).update(scope).update('\0').update(body).digest('base64url');
  }
}
