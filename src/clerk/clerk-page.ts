import { InvalidClerkPayload } from './invalid-clerk-payload.error';

/** One page of a Backend API list, in our own types. */
export interface ClerkPage<T> {
  items: T[];
  /** Why each unusable object of the page was left out. */
  invalid: string[];
  /** How many objects Clerk has in all (undefined for a page listed by cursor: see getUserCount). */
  totalCount?: number;
  /** How many entries Clerk listed, usable or not. */
  listed: number;
  /** The id of the last entry listed, usable or not: where the next page by cursor starts. */
  lastId?: string;
}

/** A page in our own types: each raw entry mapped, the unusable ones left out and named. */
export function toPage<R extends { id?: unknown }, T>(
  page: { data: R[]; totalCount?: number },
  map: (raw: R) => T,
): ClerkPage<T> {
  const items: T[] = [];
  const invalid: string[] = [];
  const lastId = page.data.at(-1)?.id;
  for (const raw of page.data) {
    try {
      items.push(map(raw));
    } catch (error) {
      if (!(error instanceof InvalidClerkPayload)) throw error;
      invalid.push(error.message);
    }
  }
  return {
    items,
    invalid,
    totalCount: page.totalCount,
    listed: page.data.length,
    lastId: typeof lastId === 'string' && lastId !== '' ? lastId : undefined,
  };
}
