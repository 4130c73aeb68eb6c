import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Where `npm run webhook:send` keeps what it last sent for each Clerk object (under .data/, which git ignores). */
export const SENT_SAMPLES_PATH = resolve('.data', 'webhook-send-samples.json');

/** Clerk's JSON of one object, as an event's `data` carries it. */
export type ClerkJson = Record<string, unknown>;

/** The fields of Clerk's JSON that each option of `webhook:send` sets. */
const OPTION_FIELDS: Record<string, string[]> = {
  email: ['email_addresses', 'primary_email_address_id'],
  'first-name': ['first_name'],
  'last-name': ['last_name'],
  name: ['name'],
  role: ['role'],
};

/**
 * A sample as a change of the object last sent with its id: only the fields of the options given
 * change, `created_at` and every other field stay, and `updated_at` moves past the last one, so
 * the service takes it as the newer version. Nothing sent before: the fresh sample as it is.
 */
export function continueSample(last: ClerkJson | undefined, fresh: ClerkJson, givenOptions: string[]): ClerkJson {
  if (!last) return fresh;
  const fields = givenOptions.flatMap((option) => OPTION_FIELDS[option] ?? []).filter((field) => field in fresh);
  const changed = Object.fromEntries(fields.map((field) => [field, fresh[field]]));
  const updatedAt = Math.max(Number(fresh.updated_at) || 0, (Number(last.updated_at) || 0) + 1);
  return { ...last, ...changed, updated_at: updatedAt };
}

/** What was last sent for each id, read from and written to `path`; a missing or unreadable file is empty. */
export class SentSamples {
  private readonly sent: Record<string, ClerkJson>;

  constructor(private readonly path = SENT_SAMPLES_PATH) {
    this.sent = existsSync(path) ? readJson(path) : {};
  }

  lastSent(id: string): ClerkJson | undefined {
    return this.sent[id];
  }

  /** Remembers `data` as the object's last version, or forgets the object (`undefined`: it was deleted). */
  remember(id: string, data: ClerkJson | undefined): void {
    if (data) this.sent[id] = data;
    else delete this.sent[id];
    mkdirSync(dirname(this.path), { recursive: true });
    writeFileSync(this.path, `${JSON.stringify(this.sent)}\n`);
  }
}

function readJson(path: string): Record<string, ClerkJson> {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, ClerkJson>) : {};
  } catch {
    return {};
  }
}
