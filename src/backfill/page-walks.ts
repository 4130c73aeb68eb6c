import type { ClerkPage } from '../clerk/clerk-page';
import type { Versioned } from '../sync/clerk-object.repository';
import type { SyncResult } from '../sync/sync.rule';
import { BackfillError, withClerkRetries } from './clerk-retries';

/** One page of a kind as listed (with retries), ready to be written through that kind's rules. */
interface ListedPage {
  /** The ids of the usable entries. */
  ids: string[];
  /** Entries Clerk listed, usable or not. */
  listed: number;
  /** How many objects Clerk has (its count as of the listing). */
  totalCount: number;
  invalid: string[];
  write(dryRun: boolean): Promise<SyncResult[]>;
}

/** How one kind's list is walked: its pages in order, each listed while the one before is written. */
export type PageWalk = (pageSize: number, onWait?: (message: string) => void) => AsyncIterable<ListedPage>;

type Sync<T> = (items: T[], dryRun: boolean) => Promise<SyncResult[]>;

/** Pages listed at once by offset (each also waits for its share of Clerk's rate limit). */
const LISTS_AHEAD = 4;

function listedPage<T extends Versioned>(page: ClerkPage<T>, totalCount: number, sync: Sync<T>): ListedPage {
  return {
    ids: page.items.map((item) => item.id),
    listed: page.listed,
    totalCount,
    invalid: page.invalid,
    write: (dryRun) => sync(page.items, dryRun),
  };
}

/** A listing in flight: awaited later, so not an unhandled rejection meanwhile. */
function inFlight<T>(listing: Promise<T>): Promise<T> {
  listing.catch(() => undefined);
  return listing;
}

/**
 * Walks a list by offset (organizations, memberships: Clerk offers no cursor there). Pages are
 * listed ahead while earlier ones are written, so that Clerk's latency overlaps with our writes and
 * the run goes at its share of the rate limit. Ahead only within the count Clerk gave: past it, one
 * page at a time until a short one.
 */
export function offsetWalk<T extends Versioned>(
  fetch: (offset: number, limit: number) => Promise<ClerkPage<T>>,
  sync: Sync<T>,
): PageWalk {
  return async function* (pageSize, onWait) {
    const list = (offset: number) =>
      inFlight(withClerkRetries(() => fetch(offset, pageSize), `at offset ${offset}`, onWait));
    const ahead: Promise<ClerkPage<T>>[] = [];
    let requested = 0;
    let clerkCount: number | undefined;
    const listAhead = () => {
      const depth = clerkCount !== undefined && requested < clerkCount ? LISTS_AHEAD : 1;
      while (ahead.length < depth) {
        ahead.push(list(requested));
        requested += pageSize;
      }
    };
    try {
      for (;;) {
        listAhead();
        const page = await ahead.shift()!;
        const last = page.listed < pageSize;
        clerkCount = page.totalCount ?? 0;
        if (!last) listAhead();
        yield listedPage(page, clerkCount, sync);
        if (last) return;
      }
    } finally {
      // Pages listed past a short one (Clerk's count shrank meanwhile) are not used; none outlives the run.
      await Promise.allSettled(ahead);
    }
  };
}

/**
 * Walks a list by Clerk's `starting_after` cursor (users): each page starts after the last entry
 * of the one before, so no offset grows with the list, and is listed while the one before is
 * written. Clerk's count, asked once, is the progress total.
 */
export function cursorWalk<T extends Versioned>(
  fetchAfter: (after: string | undefined, limit: number) => Promise<ClerkPage<T>>,
  count: () => Promise<number>,
  sync: Sync<T>,
): PageWalk {
  return async function* (pageSize, onWait) {
    const list = (after: string | undefined) =>
      inFlight(
        withClerkRetries(
          () => fetchAfter(after, pageSize),
          after ? `listing after ${after}` : 'at the start of the list',
          onWait,
        ),
      );
    let next = list(undefined);
    try {
      const first = await next;
      const totalCount = await withClerkRetries(count, 'counting', onWait);
      let page = first;
      for (;;) {
        const last = page.listed < pageSize;
        if (!last) {
          if (!page.lastId) throw new BackfillError('Clerk listed an entry without an id: the listing cannot go on');
          next = list(page.lastId);
        }
        yield listedPage(page, totalCount, sync);
        if (last) return;
        page = await next;
      }
    } finally {
      await Promise.allSettled([next]);
    }
  };
}
