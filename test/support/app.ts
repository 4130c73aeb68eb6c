import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app';
import { dropDatabase, uniqueDatabaseUri } from './database';
import { request } from './http';
import { TcpProxy } from './tcp-proxy';

export interface TestApp {
  app: NestFastifyApplication;
  url: string;
  /** The database this app writes to. */
  dbUri: string;
  close(options?: { keepDatabase?: boolean }): Promise<void>;
}

/**
 * The real application, as main.ts builds it, on a loopback port and a database of its own.
 * The environment is explicit: neither .env nor process.env is read.
 */
export async function startTestApp(
  label: string,
  env: Record<string, string | undefined> = {},
  { dbUri = uniqueDatabaseUri(label), connectUri = dbUri }: { dbUri?: string; connectUri?: string } = {},
): Promise<TestApp> {
  const app = await createApp({
    env: { NODE_ENV: 'test', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', MONGODB_URI: connectUri, ...env },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address() as { port: number };
  return {
    app,
    url: `http://127.0.0.1:${address.port}`,
    dbUri,
    async close({ keepDatabase = false } = {}) {
      await app.close();
      if (!keepDatabase) await dropDatabase(dbUri);
    },
  };
}

/** An app whose database is reached through a proxy the test can cut, as if the server stopped. */
export async function startTestAppBehindProxy(
  label: string,
  env: Record<string, string | undefined>,
): Promise<TestApp & { proxy: TcpProxy }> {
  const dbUri = uniqueDatabaseUri(label);
  const proxy = await TcpProxy.forUri(dbUri).start();
  const app = await startTestApp(label, env, { dbUri, connectUri: proxy.rewrite(dbUri) });
  return {
    ...app,
    proxy,
    async close() {
      await proxy.start(); // the database must be reachable to be dropped
      await app.close();
      await proxy.stop();
    },
  };
}

/** Waits until GET /health/ready answers 200 (the database is back); returns how long it took. */
export async function waitUntilReady(baseUrl: string, timeoutMs = 15_000): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if ((await request(`${baseUrl}/health/ready`)).status === 200) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${baseUrl} was not ready within ${timeoutMs} ms`);
}
