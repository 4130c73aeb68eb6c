import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app';
import { dropDatabase, uniqueDatabaseUri } from './database';
import { TcpProxy } from './tcp-proxy';
import type { Delivery } from './webhooks';

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

export interface JsonResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export async function request<T = any>(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<JsonResponse<T>> {
  const response = await fetch(url, { ...init, body: init.body as string | undefined });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body: body as T };
}

export const postWebhook = (baseUrl: string, delivery: Delivery) =>
  request<{ received: boolean; outcome: string; statusCode?: number; message?: string }>(`${baseUrl}/webhooks/clerk`, {
    method: 'POST',
    headers: delivery.headers,
    body: delivery.body,
  });

/** Runs `send` over every item with `concurrency` calls in flight at a time; answers in input order. */
export async function sendAll<T, R>(items: T[], concurrency: number, send: (item: T) => Promise<R>): Promise<R[]> {
  const answers = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < items.length; index = next++) answers[index] = await send(items[index]);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return answers;
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
