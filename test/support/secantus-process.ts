import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { MONGO_DRIVER_OPTIONS } from '../../src/database/mongo-driver';

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

/**
 * A SecantusDB server of the test's own, so that it can be killed (`kill -9`), paused (SIGSTOP)
 * and restarted on the same storage and port without touching the shared test server.
 */
export class SecantusProcess {
  private child?: ChildProcess;
  private log = '';
  readonly storagePath = mkdtempSync(join(tmpdir(), 'secantus-'));
  port = 0;

  constructor(
    private readonly binary: string,
    /** Whether a commit reaches the disk before it is acknowledged (`--sync-on-commit`). */
    private readonly syncOnCommit = true,
    /** A standalone server, or (SecantusDB's default) a single-node replica set, as Atlas's topology. */
    private readonly topology: 'standalone' | 'replicaSet' = 'standalone',
  ) {}

  uri(database = 'durability'): string {
    return `mongodb://127.0.0.1:${this.port}/${database}`;
  }

  /** Starts (again, after a kill) on the same port and storage; resolves once it answers a ping. */
  async start(): Promise<this> {
    this.port ||= await freePort();
    const args = [
      ...(this.topology === 'standalone' ? ['--standalone'] : []),
      '--port',
      String(this.port),
      '--storage-path',
      this.storagePath,
      '--cache-size',
      '256M',
    ];
    if (this.syncOnCommit) args.push('--sync-on-commit');
    const child = spawn(this.binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (chunk) => (this.log += chunk));
    child.stderr!.on('data', (chunk) => (this.log += chunk));
    this.child = child;
    const started = Date.now();
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(`secantusd-rs exited (${child.exitCode}):\n${this.log.slice(-2000)}`);
      try {
        const client = await MongoClient.connect(this.uri(), {
          ...MONGO_DRIVER_OPTIONS,
          serverSelectionTimeoutMS: 500,
        });
        await client.db().command({ ping: 1 });
        await client.close();
        return this;
      } catch {
        if (Date.now() - started > 30_000) throw new Error(`secantusd-rs did not answer:\n${this.log.slice(-2000)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  /** `kill -9`: no chance to flush anything that was not on disk already. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  resume(): void {
    this.child?.kill('SIGCONT');
  }

  async stop(): Promise<void> {
    this.resume();
    await this.kill();
    rmSync(this.storagePath, { recursive: true, force: true });
  }
}
