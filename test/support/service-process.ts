import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { dropDatabase, uniqueDatabaseUri } from './database';

/** The built service, as an operator runs it (`npm test` builds first). */
const MAIN = resolve(__dirname, '..', '..', 'dist', 'src', 'main.js');

export interface ServiceProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

let cwd: string | undefined;

/**
 * `node dist/src/main.js` with exactly this environment (development unless it says otherwise),
 * from an empty directory so that no .env is read.
 */
export function runService(env: Record<string, string>): ServiceProcess {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run the tests with \`npm test\`, which builds first`);
  cwd ??= mkdtempSync(join(tmpdir(), 'clerk-user-sync-'));
  const child = spawn(process.execPath, [MAIN], {
    cwd,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'development', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk) => (out += chunk));
  child.stderr!.on('data', (chunk) => (err += chunk));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Waits until the process's stdout matches. */
export async function waitForOutput(service: ServiceProcess, pattern: RegExp, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!pattern.test(service.stdout())) {
    if (Date.now() - started > timeoutMs || service.child.exitCode !== null) {
      throw new Error(`no ${pattern} in output:\n${service.stdout()}\n${service.stderr()}`);
    }
    await new Promise((done) => setTimeout(done, 50));
  }
}

/** The JSON log lines printed so far. */
export const logLinesOf = (service: ServiceProcess): Record<string, any>[] =>
  service
    .stdout()
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, any>);

export interface RunningService extends ServiceProcess {
  url: string;
  /** The database this service writes to. */
  dbUri: string;
  logLines(): Record<string, any>[];
  /** Kills the process (if still running) and drops its database. */
  stop(): Promise<void>;
}

const LISTENING = /Listening on (http:\/\/127\.0\.0\.1:\d+)/;

/**
 * The built service on a loopback port and a database of its own, resolved once it listens.
 * `connectUri` reaches that database another way (e.g. through a TcpProxy).
 */
export async function startService(
  label: string,
  env: Record<string, string> = {},
  { dbUri = uniqueDatabaseUri(label), connectUri = dbUri }: { dbUri?: string; connectUri?: string } = {},
): Promise<RunningService> {
  const service = runService({ PORT: '0', HOST: '127.0.0.1', MONGODB_URI: connectUri, ...env });
  try {
    await waitForOutput(service, LISTENING);
  } catch (error) {
    service.child.kill('SIGKILL');
    throw error;
  }
  return {
    ...service,
    url: LISTENING.exec(service.stdout())![1],
    dbUri,
    logLines: () => logLinesOf(service),
    async stop() {
      if (service.child.exitCode === null) service.child.kill('SIGKILL');
      await dropDatabase(dbUri);
    },
  };
}
