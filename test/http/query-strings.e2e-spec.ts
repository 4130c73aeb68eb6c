import { dropDatabase, uniqueDatabaseUri } from '../support/database';
import { request } from '../support/http';
import { logLinesOf, runService, waitForOutput } from '../support/service-process';
import { createSigningKey, mintToken, sessionClaims } from '../support/tokens';
import { newUserId, newWebhookSecret } from '../support/payloads';

/**
 * Query strings carry what must not be kept (`?__session=<token>`, `?email=...`): the built service,
 * logging everything at trace level, writes no query string to any log line and echoes none in any
 * answer, whatever the route or status.
 */
const MARK = 'q5ecret';
const query = `?__session=${MARK}.${MARK}.${MARK}&email=ada%40${MARK}.example&x=${MARK}`;
const key = createSigningKey();

it('no log line and no answer holds the query string, for every route and status', async () => {
  const dbUri = uniqueDatabaseUri('query_strings');
  const service = runService({
    PORT: '0',
    HOST: '127.0.0.1',
    MONGODB_URI: dbUri,
    LOG_LEVEL: 'trace',
    LOG_FORMAT: 'json',
    CLERK_JWT_KEY: key.publicKeyPem,
    CLERK_WEBHOOK_SIGNING_SECRET: newWebhookSecret(),
  });
  try {
    await waitForOutput(service, /Listening on http:\/\/127\.0\.0\.1:\d+/);
    const url = /Listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(service.stdout())![1];
    const bearer = { authorization: `Bearer ${mintToken(key, sessionClaims(newUserId()))}` };
    const json = { 'content-type': 'application/json' };
    const calls: [string, string, Record<string, string>?, string?][] = [
      ['GET', '/nowhere'], // 404
      ['GET', '/me'], // 401
      ['GET', '/me', { authorization: `Bearer ${MARK}` }], // 401, malformed token
      ['GET', '/me', bearer], // 503: lazy sync needs CLERK_SECRET_KEY (not set)
      ['PATCH', '/me', { ...bearer, ...json }, '{"favoriteColor":"PINK"}'], // 400
      ['PATCH', '/me', { ...bearer, ...json }, '{'], // 400, not JSON
      ['POST', '/webhooks/clerk', json, '{}'], // 400, no Svix headers
      ['DELETE', '/me'], // 404
      ['GET', '/health/live'],
      ['GET', '/docs/json'],
    ];
    const statuses: number[] = [];
    for (const [method, path, headers = {}, body] of calls) {
      const response = await request(`${url}${path}${query}`, { method, headers, body });
      statuses.push(response.status);
      expect(JSON.stringify(response.body)).not.toContain(MARK);
      expect([...response.headers.values()].join('\n')).not.toContain(MARK);
    }
    expect(statuses).toEqual([404, 401, 401, 503, 400, 400, 400, 404, 200, 200]);
    await waitForOutput(service, /"url":"\/docs\/json"/);
    const lines = logLinesOf(service);
    // Each request was logged, by its path.
    const logged = lines.filter((line) => line.req?.url).map((line) => `${line.req.method} ${line.req.url}`);
    expect(logged).toEqual(expect.arrayContaining(['GET /nowhere', 'GET /me', 'PATCH /me', 'POST /webhooks/clerk']));
    expect(service.stdout() + service.stderr()).not.toContain(MARK);
  } finally {
    service.child.kill('SIGKILL');
    await dropDatabase(dbUri);
  }
});
