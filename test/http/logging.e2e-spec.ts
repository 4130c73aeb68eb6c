import { ClerkTestBed } from '../support/clerk-test-bed';
import { uniqueDatabaseUri } from '../support/database';
import { request } from '../support/http';
import { clerkUser, newWebhookSecret, signedDelivery, userEvent } from '../support/payloads';
import { startService, waitForOutput } from '../support/service-process';
import { TcpProxy } from '../support/tcp-proxy';

/**
 * What the built service logs, as an operator reads it: JSON lines (or pretty ones), one line per
 * webhook delivery, failures with their cause, and never a credential or personal data.
 */
it('LOG_FORMAT=pretty prints readable lines, not JSON', async () => {
  const service = await startService('logging_pretty', { LOG_FORMAT: 'pretty' });
  try {
    const line = service
      .stdout()
      .split('\n')
      .find((text) => text.includes('Listening on'))!;
    expect(() => JSON.parse(line)).toThrow();
    expect(line).toMatch(/INFO/);
  } finally {
    await service.stop();
  }
});

it('a 5xx is logged with the real error and its stack', async () => {
  const dbUri = uniqueDatabaseUri('logging_5xx');
  const proxy = await TcpProxy.forUri(dbUri).start();
  const secret = newWebhookSecret();
  const service = await startService(
    'logging_5xx',
    { CLERK_WEBHOOK_SIGNING_SECRET: secret },
    { dbUri, connectUri: proxy.rewrite(dbUri) },
  );
  try {
    await proxy.stop();
    const delivery = signedDelivery(secret, userEvent('user.created', clerkUser()));
    expect((await request(`${service.url}/webhooks/clerk`, { method: 'POST', ...delivery })).status).toBe(503);
    await waitForOutput(service, /"statusCode":503/);
    const entry = service.logLines().find((line) => line.res?.statusCode === 503)!;
    expect(entry.level).toBe(50);
    expect(entry.err.type).toMatch(/^Mongo\w*(ServerSelection|Network)\w*Error$/);
    expect(entry.err.stack).toMatch(/\n\s+at /);
    expect(entry.err.stack).not.toMatch(/failed with status code/);
  } finally {
    await proxy.start();
    await service.stop();
    await proxy.stop();
  }
});

describe('a running service', () => {
  const bed = ClerkTestBed.use('logging', {}, { process: true });

  it('logs JSON lines, says which database it uses, and never logs credentials', async () => {
    const token = bed.tokenFor('user_unknown_to_clerk');
    await request(`${bed.url}/me`, { headers: { authorization: `Bearer ${token}`, cookie: `__session=${token}` } });
    const delivery = signedDelivery(bed.secret, userEvent('user.created', clerkUser()));
    await bed.postDelivery(delivery);
    await waitForOutput(bed.service, /"url":"\/webhooks\/clerk"[\s\S]*"statusCode":200/);
    const lines = bed.service.stdout().trim().split('\n');
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(bed.service.stdout()).toContain(`Database: ${bed.dbUri} (MONGODB_URI)`);
    expect(bed.service.stdout()).not.toContain(token);
    expect(bed.service.stdout()).not.toContain(delivery.headers['svix-signature']);
    // Request lines keep the allowed headers only.
    const webhookLine = lines
      .map((line) => JSON.parse(line) as { req?: { url: string; headers: Record<string, string> } })
      .find((line) => line.req?.url === '/webhooks/clerk');
    expect(webhookLine!.req!.headers).toEqual(
      expect.objectContaining({ 'svix-id': delivery.headers['svix-id'], 'content-type': 'application/json' }),
    );
    for (const name of ['authorization', 'cookie', 'svix-signature', 'svix-timestamp'])
      expect(webhookLine!.req!.headers).not.toHaveProperty(name);
  });

  it('logs one line per webhook delivery: svix-id, type, object id and outcome or reason, no personal data', async () => {
    const user = clerkUser({ emails: ['ada.lovelace@example.test'], firstName: 'Augusta' });
    const applied = signedDelivery(bed.secret, userEvent('user.created', user));
    const refused = signedDelivery(bed.secret, userEvent('user.created', { ...user, updated_at: 1e308 }));
    for (const delivery of [applied, applied, refused]) await bed.postDelivery(delivery);
    await waitForOutput(bed.service, new RegExp(`"svixId":"${refused.headers['svix-id']}"`));
    const deliveries = bed.service.logLines().filter((line) => line.msg === 'Webhook delivery');
    const lineOf = (svixId: string) => deliveries.filter((line) => line.svixId === svixId);
    expect(lineOf(applied.headers['svix-id'])).toEqual([
      expect.objectContaining({ level: 30, type: 'user.created', objectId: user.id, outcome: 'applied' }),
      expect.objectContaining({ level: 30, type: 'user.created', objectId: user.id, outcome: 'duplicate' }),
    ]);
    expect(lineOf(refused.headers['svix-id'])).toEqual([
      expect.objectContaining({ level: 40, objectId: user.id, outcome: 'rejected', reason: 'payload', status: 422 }),
    ]);
    const logged = JSON.stringify(deliveries);
    for (const personal of ['ada.lovelace@example.test', 'Augusta', 'Lovelace']) expect(logged).not.toContain(personal);
  });

  it('logs a failed lazy sync once, with the status, Clerk trace id and what to check, never the key', async () => {
    const user = bed.putClerkUser();
    bed.clerk.failures.push({ status: 401, traceId: 'trace_for_support' });
    expect((await bed.getMe(bed.tokenFor(user.id))).status).toBe(502);
    await waitForOutput(bed.service, /trace_for_support/);
    const failures = bed.service.logLines().filter((line) => line.traceId === 'trace_for_support');
    expect(failures).toEqual([
      expect.objectContaining({
        level: 50,
        userId: user.id,
        failure: 'refused',
        status: 401,
        msg: expect.stringContaining('check that it is the secret key'),
      }),
    ]);
    expect(bed.service.stdout()).not.toContain('sk_test_stand_in');
  });
});
