import ConnectionString from 'mongodb-connection-string-url';
import type { MongoClientOptions } from 'mongodb';

/**
 * Every write an answer depends on waits for the journal and a majority: a 200 to Svix must
 * survive a crash of the database (`w: 1`, the server's default, acknowledges before the journal
 * is flushed). On a standalone server `majority` is that one server.
 */
const DURABLE_WRITES = { w: 'majority', journal: true } as const satisfies MongoClientOptions;

/** Options that set the write concern in a URI; any of them leaves the write concern to the URI. */
const WRITE_CONCERN_OPTIONS = ['w', 'journal', 'j', 'fsync', 'wtimeoutMS', 'wtimeout'];

/**
 * The service's client options for `uri`: durable writes, and waits on a stalled server bounded by
 * `databaseTimeoutMs` (checking out a connection, opening one). An option the URI sets itself wins:
 * `?w=1&journal=false` is for those who know better, and is documented as such.
 */
export function connectionOptions(uri: string, databaseTimeoutMs: number): MongoClientOptions {
  const set = new Set([...new ConnectionString(uri).searchParams.keys()].map((key) => key.toLowerCase()));
  const unless = (keys: string[], options: MongoClientOptions) =>
    keys.some((key) => set.has(key.toLowerCase())) ? {} : options;
  return {
    ...unless(WRITE_CONCERN_OPTIONS, DURABLE_WRITES),
    ...unless(['waitQueueTimeoutMS'], { waitQueueTimeoutMS: databaseTimeoutMs }),
    ...unless(['connectTimeoutMS'], { connectTimeoutMS: databaseTimeoutMs }),
  };
}
