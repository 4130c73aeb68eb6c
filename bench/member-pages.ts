import { MongoClient } from 'mongodb';
import { createApp } from '../src/app';
import { MONGO_DRIVER_OPTIONS } from '../src/database/mongo-driver';
import { createSigningKey, mintToken, sessionClaims } from '../test/support/tokens';
import { BENCH_ORGANIZATION, BENCH_READER, preloadOrganization } from './preload';
import { databaseServer, databaseUri } from './processes';

/**
 * `npm run bench:members`: the member list of one large organization (BENCH_MEMBERS, default
 * 5,000), walked at 100 a page by one client, page after page (BENCH_WALKS walks), against the
 * service on the benchmark's database; then GET /me revalidated with If-None-Match (304). Prints
 * the median, p95 and slowest page in milliseconds, as measured by the client.
 */
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 5_000);
const WALKS = Number(process.env.BENCH_WALKS ?? 5);
const ME_REQUESTS = 500;
type MemberPage = { data: unknown[]; next: string | null };

const summary = (label: string, ms: number[]) => {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(1);
  return `${label}: ${sorted.length} requests, median ${at(0.5)} ms, p95 ${at(0.95)} ms, slowest ${sorted.at(-1)!.toFixed(1)} ms`;
};

async function timed(url: string, headers: Record<string, string>, status: number) {
  const started = performance.now();
  const response = await fetch(url, { headers });
  const body = (response.status === 304 ? null : await response.json()) as MemberPage;
  const ms = performance.now() - started;
  if (response.status !== status) throw new Error(`${url} answered ${response.status}: ${JSON.stringify(body)}`);
  return { ms, body, etag: response.headers.get('etag') };
}

async function main(): Promise<void> {
  const server = await databaseServer();
  const dbUri = databaseUri(server.uri, `bench_members_${Date.now()}`);
  const key = createSigningKey();
  const organizationId = BENCH_ORGANIZATION;
  const app = await createApp({
    env: { NODE_ENV: 'test', LOG_LEVEL: 'silent', MONGODB_URI: dbUri, CLERK_JWT_KEY: key.publicKeyPem },
  });
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    await preloadOrganization(dbUri, MEMBERS);
    const reader = BENCH_READER;
    const authorization = `Bearer ${mintToken(key, sessionClaims(reader, { exp: Math.floor(Date.now() / 1000) + 3600 }))}`;
    const pages: number[] = [];
    for (let walk = 0; walk < WALKS; walk++) {
      let after: string | null = null;
      let listed = 0;
      do {
        const query = `limit=100${after ? `&after=${encodeURIComponent(after)}` : ''}`;
        const { ms, body } = await timed(
          `${url}/organizations/${organizationId}/members?${query}`,
          { authorization },
          200,
        );
        pages.push(ms);
        listed += body.data.length;
        after = body.next;
      } while (after);
      if (listed !== MEMBERS) throw new Error(`a walk listed ${listed} members, not ${MEMBERS}`);
    }
    const { etag } = await timed(`${url}/me`, { authorization }, 200);
    const revalidations: number[] = [];
    for (let i = 0; i < ME_REQUESTS; i++) {
      revalidations.push((await timed(`${url}/me`, { authorization, 'if-none-match': etag! }, 304)).ms);
    }
    console.log(`${MEMBERS} members, ${server.description}, one client, sequential`);
    console.log(summary('member page (limit=100)', pages));
    console.log(summary('GET /me with If-None-Match (304)', revalidations));
  } finally {
    await app.close();
    await new MongoClient(dbUri, MONGO_DRIVER_OPTIONS)
      .db()
      .dropDatabase()
      .catch(() => undefined);
    server.stop();
  }
}

void main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
