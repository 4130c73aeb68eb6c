import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import ConnectionString from 'mongodb-connection-string-url';
import { MONGO_DRIVER_OPTIONS } from '../src/database/mongo-driver';

/** The processes a benchmark run starts and watches: the database server, and its targets. */
const SECANTUS_VERSION = '0.5.3-beta.193';
/** SecantusDB's server as `.ci/run` builds and caches it. */
const SECANTUS = join(
  process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'),
  'secantus',
  SECANTUS_VERSION,
  'bin',
  'secantusd-rs',
);

export const freePort = () =>
  new Promise<number>((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });

export async function waitForHttp(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited (${child.exitCode})`);
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer`);
}

export async function databaseServer(): Promise<{ uri: string; stop: () => void; description: string }> {
  if (process.env.MONGODB_URI)
    return { uri: process.env.MONGODB_URI, stop: () => undefined, description: 'MONGODB_URI' };
  if (!existsSync(SECANTUS))
    throw new Error(`Set MONGODB_URI, or run \`bash .ci/run\` once to build SecantusDB into ${SECANTUS}`);
  const dir = mkdtempSync(join(tmpdir(), 'bench-secantus-'));
  const port = await freePort();
  // As CI runs it: a commit is on disk before it is acknowledged, so the figures include durability.
  const args = ['--standalone', '--port', String(port), '--storage-path', dir, '--sync-on-commit'];
  const child = spawn(SECANTUS, args, { stdio: 'ignore' });
  const uri = `mongodb://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const ok = await MongoClient.connect(uri, { ...MONGO_DRIVER_OPTIONS, serverSelectionTimeoutMS: 300 }).then(
      (c) => c.close().then(() => true),
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    uri,
    stop: () => {
      child.kill();
      rmSync(dir, { recursive: true, force: true });
    },
    description: `SecantusDB ${SECANTUS_VERSION}`,
  };
}

export function databaseUri(server: string, name: string): string {
  const cs = new ConnectionString(server);
  cs.pathname = `/${name}`;
  return cs.toString();
}

/** User + system CPU time of a process so far (Linux /proc, in clock ticks of 10 ms), in seconds. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Starts a new peak-RSS measurement for the process (Linux: VmHWM back to the current RSS). */
export function resetPeakRss(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

/** Peak resident memory of a process since the last reset (Linux), in MiB. */
export function peakRssMiB(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : NaN;
}
