import ConnectionString from 'mongodb-connection-string-url';
import { uniqueDatabaseUri } from '../support/database';
import { runService } from '../support/service-process';

/**
 * Any failure while connecting or building the indexes stops the start with one line that names
 * the cause and MONGODB_URI, never a driver dump. An unreachable server and bad configuration:
 * startup.e2e-spec.ts.
 */
function uriWith(label: string, options: Record<string, string>): string {
  const cs = new ConnectionString(uniqueDatabaseUri(label));
  for (const [name, value] of Object.entries(options)) cs.searchParams.set(name, value);
  return cs.toString();
}

it.each([
  ['a write concern the server cannot satisfy', { w: '3', wtimeoutMS: '1000' }],
  ['a replica set name the server does not have', { replicaSet: 'no-such-set', serverSelectionTimeoutMS: '1000' }],
])('%s: one line naming MONGODB_URI, no stack', async (_, options) => {
  const started = runService({ MONGODB_URI: uriWith('startup_errors', options) });
  expect(await started.exited).toBe(1);
  const message = started.stderr().trim();
  expect(message.split('\n')).toHaveLength(1);
  expect(message).toMatch(/^Cannot (connect to MongoDB|build the database's indexes) at mongodb:\/\/.*MONGODB_URI/);
  expect(message).not.toMatch(/^\s+at /m);
});
