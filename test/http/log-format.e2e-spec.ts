import { connect } from 'node:net';
import { postWebhook, request } from '../support/http';
import { clerkUser, newWebhookSecret, signedDelivery, userEvent } from '../support/payloads';
import { RunningService, startService, waitForOutput } from '../support/service-process';

/**
 * The log's format: a person at a terminal reads one pretty line a request; JSON logs keep every
 * field for the machines that read them.
 */
async function withService(
  env: Record<string, string>,
  use: (service: RunningService, url: string) => Promise<void>,
): Promise<void> {
  const service = await startService('log_format', env);
  try {
    await use(service, service.url);
  } finally {
    await service.stop();
  }
}

/** The lines printed since line `before`, once a second line, if there were one, had time to arrive. */
async function linesSince(service: RunningService, before: number): Promise<string[]> {
  await new Promise((done) => setTimeout(done, 300));
  return service
    .stdout()
    .split('\n')
    .slice(before - 1)
    .filter(Boolean);
}

describe('LOG_FORMAT=pretty: one line a request', () => {
  it('a webhook delivery is one line: method, path, status, duration, type, object and outcome', async () => {
    const secret = newWebhookSecret();
    await withService({ LOG_FORMAT: 'pretty', CLERK_WEBHOOK_SIGNING_SECRET: secret }, async (service, url) => {
      const user = clerkUser();
      const before = service.stdout().split('\n').length;
      expect((await postWebhook(url, signedDelivery(secret, userEvent('user.created', user)))).status).toBe(200);
      await waitForOutput(service, /POST \/webhooks\/clerk 200/);
      const lines = await linesSince(service, before);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        new RegExp(`INFO.*: POST /webhooks/clerk 200 \\d+ms user\\.created ${String(user.id)} applied$`),
      );
    });
  });

  it('a request is one line, without its query string', async () => {
    await withService({ LOG_FORMAT: 'pretty' }, async (service, url) => {
      const before = service.stdout().split('\n').length;
      expect((await request(`${url}/no-such-route?email=ada@example.com`)).status).toBe(404);
      await waitForOutput(service, /GET \/no-such-route 404/);
      const lines = await linesSince(service, before);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/WARN.*: GET \/no-such-route 404 \d+ms$/);
    });
  });

  it('a feature that is not configured (development) is a warning without a stack', async () => {
    await withService({ LOG_FORMAT: 'pretty' }, async (service, url) => {
      const before = service.stdout().split('\n').length;
      expect((await request(`${url}/me`, { headers: { authorization: 'Bearer x.y.z' } })).status).toBe(503);
      await waitForOutput(service, /GET \/me 503/);
      const lines = await linesSince(service, before);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/WARN.*: GET \/me 503 \d+ms$/);
    });
  });
});

describe('LOG_FORMAT=json keeps every field', () => {
  it("a delivery has its own line, and the request's line carries the same fields", async () => {
    const secret = newWebhookSecret();
    await withService({ LOG_FORMAT: 'json', CLERK_WEBHOOK_SIGNING_SECRET: secret }, async (service, url) => {
      const user = clerkUser();
      const delivery = signedDelivery(secret, userEvent('user.created', user));
      expect((await postWebhook(url, delivery)).status).toBe(200);
      await waitForOutput(service, /"statusCode":200/);
      const fields = {
        svixId: delivery.headers['svix-id'],
        type: 'user.created',
        objectId: user.id,
        outcome: 'applied',
      };
      const lines = service.logLines();
      // A line written while the request is served carries the request too.
      expect(lines.find((line) => line.msg === 'Webhook delivery')).toMatchObject({
        level: 30,
        ...fields,
        req: { method: 'POST', url: '/webhooks/clerk' },
      });
      expect(lines.find((line) => line.msg === 'request completed')).toMatchObject({
        level: 30,
        ...fields,
        req: { method: 'POST', url: '/webhooks/clerk' },
        res: { statusCode: 200 },
      });
    });
  });

  it('a request its client gives up on is one warning line, without its body or query string', async () => {
    await withService({ LOG_FORMAT: 'json' }, async (service, url) => {
      const socket = connect(Number(new URL(url).port), '127.0.0.1');
      await new Promise((connected) => socket.once('connect', connected));
      socket.write(
        'POST /webhooks/clerk?email=ada@example.com HTTP/1.1\r\nhost: localhost\r\n' +
          'content-type: application/json\r\ncontent-length: 1000\r\n\r\n{"secret":',
      );
      await new Promise((done) => setTimeout(done, 200));
      socket.destroy();
      await waitForOutput(service, /request aborted/);
      const line = service.logLines().find((entry) => entry.msg === 'request aborted')!;
      expect(line).toMatchObject({ level: 40, req: { method: 'POST', url: '/webhooks/clerk' } });
      expect(JSON.stringify(line)).not.toMatch(/ada@example|secret/);
    });
  });

  it('a 503 for a feature that is not configured is a warning without an error or stack', async () => {
    await withService({ LOG_FORMAT: 'json' }, async (service, url) => {
      expect((await request(`${url}/me`, { headers: { authorization: 'Bearer x.y.z' } })).status).toBe(503);
      await waitForOutput(service, /"statusCode":503/);
      const line = service.logLines().find((entry) => entry.res?.statusCode === 503)!;
      expect(line.level).toBe(40);
      expect(line.err).toBeUndefined();
      expect(JSON.stringify(line)).not.toMatch(/\n\s+at /);
    });
  });
});
