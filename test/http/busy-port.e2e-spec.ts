import { createServer, type Server } from 'node:net';
import { dropDatabase, uniqueDatabaseUri } from '../support/database';
import { runService } from '../support/service-process';

/** A port that cannot be had stops the start with one line that names PORT, and no stack. */
const dbUri = uniqueDatabaseUri('busy_port');
let holder: Server;
let port: number;

beforeAll(async () => {
  holder = createServer();
  await new Promise<void>((done) => holder.listen(0, '127.0.0.1', done));
  port = (holder.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((done) => holder.close(done));
  await dropDatabase(dbUri);
});

it('a busy port: exit 1 and one line on stderr naming the port and PORT', async () => {
  const service = runService({ MONGODB_URI: dbUri, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' });
  expect(await service.exited).toBe(1);
  const lines = service.stderr().trim().split('\n');
  expect(lines).toEqual([
    `Cannot listen on 127.0.0.1:${port}: the port is already in use (another copy of the service?). Stop that process, or set PORT to a free port`,
  ]);
  expect(service.stdout()).not.toMatch(/EADDRINUSE|\n\s+at /);
});
