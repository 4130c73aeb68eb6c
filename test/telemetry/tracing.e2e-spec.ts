import { randomBytes } from 'node:crypto';
import { ClerkStandIn } from '../support/clerk-stand-in';
import { postWebhook, request } from '../support/http';
import { OtlpReceiver, ReceivedSpan } from '../support/otlp-receiver';
import { clerkUser, newWebhookSecret, signedDelivery, userEvent } from '../support/payloads';
import { RunningService, startService } from '../support/service-process';
import { createSigningKey, mintToken, sessionClaims } from '../support/tokens';

/**
 * The built service exporting its traces over OTLP/HTTP (JSON) to a receiver on loopback: a
 * delivery continues the caller's trace, carries what it did, its database calls are its children,
 * and its log lines name its trace and span.
 */
const secret = newWebhookSecret();
const key = createSigningKey();
const clerk = new ClerkStandIn();
let receiver: OtlpReceiver;
let service: RunningService;

beforeAll(async () => {
  receiver = await OtlpReceiver.start();
  await clerk.start();
  service = await startService('tracing', {
    CLERK_WEBHOOK_SIGNING_SECRET: secret,
    CLERK_JWT_KEY: key.publicKeyPem,
    CLERK_SECRET_KEY: 'sk_test_stand_in',
    CLERK_API_URL: clerk.url,
    LOG_FORMAT: 'json',
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_SERVICE_NAME: 'clerk-user-sync-test',
    // Export every 100 ms instead of every 5 s.
    OTEL_BSP_SCHEDULE_DELAY: '100',
  });
});

afterAll(async () => {
  await service?.stop();
  await receiver?.stop();
  await clerk.stop();
});

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
/** A W3C traceparent of a sampled trace, as an instrumented caller (or proxy) sends it. */
const traceparent = (traceId: string, parentId: string) => `00-${traceId}-${parentId}-01`;

async function deliverTraced(delivery: ReturnType<typeof signedDelivery>) {
  const traceId = hex(16);
  const parentId = hex(8);
  const answer = await postWebhook(service.url, {
    ...delivery,
    headers: { ...delivery.headers, traceparent: traceparent(traceId, parentId) },
  });
  const span = await receiver.waitForSpan((candidate) => candidate.traceId === traceId && candidate.kind === 2);
  return { answer, traceId, parentId, span };
}

it("continues the caller's trace with a server span named by the route, carrying the delivery's facts", async () => {
  const user = clerkUser();
  const delivery = signedDelivery(secret, userEvent('user.created', user));
  const { answer, parentId, span } = await deliverTraced(delivery);
  expect(answer.body.outcome).toBe('applied');
  expect(span.parentSpanId).toBe(parentId);
  expect(span.name).toBe('POST /webhooks/clerk');
  expect(span.resource['service.name']).toBe('clerk-user-sync-test');
  expect(span.attributes).toMatchObject({
    'http.request.method': 'POST',
    'http.route': '/webhooks/clerk',
    'http.response.status_code': 200,
    'messaging.system': 'svix',
    'messaging.message.id': delivery.headers['svix-id'],
    'clerk.webhook.event_type': 'user.created',
    'clerk.webhook.object_id': user.id,
    'clerk.webhook.outcome': 'applied',
  });
});

it('makes each database call a child span of the request, with no value of the document', async () => {
  const email = 'traced.person@example.test';
  const user = clerkUser({ emails: [email] });
  const { span, traceId } = await deliverTraced(signedDelivery(secret, userEvent('user.created', user)));
  const isChild = (candidate: ReceivedSpan) =>
    candidate.traceId === traceId && candidate.parentSpanId === span.spanId && candidate.kind === 3;
  const child = await receiver.waitForSpan(isChild);
  expect(child.attributes['db.system.name'] ?? child.attributes['db.system']).toBe('mongodb');
  // The query's shape, never its values: no personal data in a trace.
  expect(JSON.stringify(receiver.spans.filter(isChild))).not.toContain(email);
});

it("makes a call to Clerk's Backend API a child span of the request", async () => {
  const user = clerkUser();
  clerk.putUser(user);
  const traceId = hex(16);
  const headers = {
    traceparent: traceparent(traceId, hex(8)),
    authorization: `Bearer ${mintToken(key, sessionClaims(user.id))}`,
  };
  expect((await request(`${service.url}/me`, { headers })).status).toBe(200);
  const span = await receiver.waitForSpan((candidate) => candidate.traceId === traceId && candidate.kind === 2);
  expect(span).toMatchObject({ name: 'GET /me', attributes: { 'http.route': '/me' } });
  const call = await receiver.waitForSpan(
    (candidate) =>
      candidate.parentSpanId === span.spanId && String(candidate.attributes['url.full']).startsWith(clerk.url),
  );
  expect(call).toMatchObject({ kind: 3, attributes: { 'http.response.status_code': 200 } });
});

it('says why a delivery was refused', async () => {
  const forged = signedDelivery(newWebhookSecret(), userEvent('user.created', clerkUser()));
  const { answer, span } = await deliverTraced(forged);
  expect(answer.status).toBe(400);
  expect(span.attributes).toMatchObject({
    'http.response.status_code': 400,
    'messaging.message.id': forged.headers['svix-id'],
    'clerk.webhook.outcome': 'rejected',
    'clerk.webhook.rejection_reason': 'signature',
  });
});

it("writes the request's trace_id and span_id on every log line of the request", async () => {
  const delivery = signedDelivery(secret, userEvent('user.created', clerkUser()));
  const { span, traceId } = await deliverTraced(delivery);
  const lines = service.logLines().filter((line) => line.req?.headers?.['svix-id'] === delivery.headers['svix-id']);
  expect(lines.map((line) => line.msg).sort()).toEqual(['Webhook delivery', 'request completed']);
  for (const line of lines) expect(line).toMatchObject({ trace_id: traceId, span_id: span.spanId });
});

it('traces no health check or metrics scrape', async () => {
  const traceId = hex(16);
  const headers = { traceparent: traceparent(traceId, hex(8)) };
  await request(`${service.url}/health/live`, { headers });
  await request(`${service.url}/metrics`, { headers });
  // A traced request after them: once its span is exported, theirs would have been too.
  const after = await deliverTraced(signedDelivery(secret, userEvent('user.created', clerkUser())));
  expect(after.span).toBeDefined();
  expect(receiver.spans.filter((span) => span.traceId === traceId)).toEqual([]);
});
