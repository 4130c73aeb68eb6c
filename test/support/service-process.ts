import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

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
