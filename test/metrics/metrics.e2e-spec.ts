import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { ClerkTestBed } from '../support/clerk-test-bed';
import { request } from '../support/http';
import { findOutsideTool, PROMTOOL } from '../support/outside-tools';
import { clerkUser, newWebhookSecret, signedDelivery, userEvent } from '../support/payloads';

/**
 * GET /metrics after real traffic: signed deliveries, a redelivery, forgeries and a lazy sync
 * against the Clerk stand-in; the counts must be exact, and the exposition valid.
 */
const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
const bed = ClerkTestBed.use('metrics', { METRICS_TOKEN });
const promtoolPath = findOutsideTool(PROMTOOL, 'test/metrics.e2e-spec.ts (promtool check)');

const scrape = async () =>
  (await request<string>(`${bed.app.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).body;
/** The value of one sample, e.g. `clerk_webhook_deliveries_total{type="user.created",outcome="applied",reason=""}`. */
const sample = (text: string, name: string, labels: Record<string, string> = {}) => {
  const wanted = Object.entries(labels).map(([label, value]) => `${label}="${value}"`);
  const line = text
    .split('\n')
    .find((row) =>
      row.startsWith(`${name}{`) || row.startsWith(`${name} `) ? wanted.every((pair) => row.includes(pair)) : false,
    );
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
};

beforeAll(async () => {
  const applied = signedDelivery(bed.secret, userEvent('user.created', clerkUser()));
  await bed.postDelivery(applied);
  await bed.postDelivery(applied); // duplicate
  await bed.postWebhook(userEvent('user.created', clerkUser()));
  await bed.postWebhook({ type: 'session.created', data: { id: 'sess_1' } }); // ignored
  await bed.postWebhook(userEvent('user.created', clerkUser()), { secret: newWebhookSecret() }); // forged: signature
  await bed.postWebhook(userEvent('user.created', { ...clerkUser(), updated_at: 1e308 })); // payload
  const withoutHeaders = signedDelivery(bed.secret, userEvent('user.created', clerkUser()));
  delete withoutHeaders.headers['svix-id'];
  await bed.postDelivery(withoutHeaders); // headers
  // A lazy sync: the user is known to Clerk only.
  expect((await bed.getMe(bed.tokenFor(bed.putClerkUser().id))).status).toBe(200);
});

it('counts deliveries by type and outcome, rejections by reason, exactly', async () => {
  const text = await scrape();
  const deliveries = (labels: Record<string, string>) => sample(text, 'clerk_webhook_deliveries_total', labels);
  expect(deliveries({ type: 'user.created', outcome: 'applied' })).toBe(2);
  expect(deliveries({ type: 'user.created', outcome: 'duplicate' })).toBe(1);
  expect(deliveries({ type: 'other', outcome: 'ignored' })).toBe(1);
  expect(deliveries({ outcome: 'rejected', reason: 'signature' })).toBe(1);
  expect(deliveries({ type: 'user.created', outcome: 'rejected', reason: 'payload' })).toBe(1);
  expect(deliveries({ outcome: 'rejected', reason: 'headers' })).toBe(1);
  expect(sample(text, 'clerk_webhook_duration_seconds_count')).toBe(4);
  expect(sample(text, 'clerk_webhook_lag_seconds_count')).toBe(3);
});

it('tells when the last delivery arrived, and when the last of each type was applied', async () => {
  const before = Date.now() / 1000;
  // A refused delivery still shows that Svix reaches the endpoint, and applies nothing.
  await bed.postWebhook(userEvent('user.created', clerkUser()), { secret: newWebhookSecret() });
  const text = await scrape();
  const received = sample(text, 'clerk_webhook_last_received_timestamp_seconds');
  expect(received).toBeGreaterThanOrEqual(before);
  expect(received).toBeLessThanOrEqual(Date.now() / 1000);
  const applied = sample(text, 'clerk_webhook_last_applied_timestamp_seconds', { type: 'user.created' });
  expect(applied).toBeGreaterThan(before - 120);
  expect(applied).toBeLessThan(before);
  expect(text).not.toMatch(/clerk_webhook_last_applied_timestamp_seconds\{type="(other|unknown)"/);
});

it('counts the lazy sync and its Backend API call', async () => {
  const text = await scrape();
  expect(sample(text, 'me_lazy_syncs_total', { result: 'synced' })).toBe(1);
  expect(sample(text, 'clerk_backend_api_requests_total', { operation: 'getUser', status: '200' })).toBe(1);
  expect(sample(text, 'clerk_backend_api_duration_seconds_count', { operation: 'getUser' })).toBe(1);
});

it('labels HTTP latency by route pattern, never by a raw URL or an id', async () => {
  await request(`${bed.app.url}/health/live?probe=user_123`);
  const text = await scrape();
  expect(
    sample(text, 'http_request_duration_seconds_count', {
      method: 'POST',
      route: '/webhooks/clerk',
      status_code: '200',
    }),
  ).toBe(4);
  expect(sample(text, 'http_request_duration_seconds_count', { method: 'GET', route: '/me', status_code: '200' })).toBe(
    1,
  );
  const routes = new Set(
    [...text.matchAll(/http_request_duration_seconds_count\{[^}]*route="([^"]*)"/g)].map((m) => m[1]),
  );
  for (const route of routes) expect(route).toMatch(/^(\/[a-zA-Z/]*|unmatched)$/);
  expect(text).not.toMatch(/user_[0-9a-f]{6}/);
  // The default process and Node metrics.
  expect(text).toMatch(/^process_cpu_user_seconds_total /m);
  expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
});

it('requires the token when METRICS_TOKEN is set', async () => {
  for (const authorization of [undefined, 'Bearer wrong-token', `Bearer ${METRICS_TOKEN}x`, METRICS_TOKEN]) {
    const response = await request(`${bed.app.url}/metrics`, { headers: authorization ? { authorization } : {} });
    expect(response).toMatchObject({ status: 401, body: { statusCode: 401 } });
  }
  const ok = await request(`${bed.app.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(ok.status).toBe(200);
  expect(ok.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
});

it('is valid Prometheus text: every line a comment or a sample', async () => {
  const sampleLine =
    /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*",?)*\})? -?([0-9.e+-]+|[Nn]a[Nn]|\+Inf|-Inf)$/;
  for (const line of (await scrape()).trim().split('\n').filter(Boolean)) {
    if (!line.startsWith('#')) expect(line).toMatch(sampleLine);
    else expect(line).toMatch(/^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+$/);
  }
});

(promtoolPath ? it : it.skip)('passes promtool check metrics', async () => {
  const text = await scrape();
  const check = promisify(execFile)(promtoolPath!, ['check', 'metrics']);
  check.child.stdin!.end(text);
  const { stdout, stderr } = await check.catch((error: { stdout: string; stderr: string }) => error);
  // It parses the whole exposition; its only lint findings are about three of prom-client's
  // default gauges, whose names end in _total (not ours to rename).
  const findings = `${stdout}${stderr}`.trim().split('\n').filter(Boolean);
  for (const finding of findings) {
    expect(finding).toMatch(
      /^nodejs_active_(handles|requests|resources)_total non-counter metrics should not have "_total" suffix$/,
    );
  }
});

it('the Grafana dashboard and the Prometheus scrape job only use metrics the service exposes', async () => {
  const dashboard = JSON.parse(readFileSync(resolve(__dirname, '..', '..', 'docs', 'grafana-dashboard.json'), 'utf8'));
  const exprs: string[] = dashboard.panels.flatMap((panel: { targets: { expr: string }[] }) =>
    panel.targets.map((t) => t.expr),
  );
  expect(exprs.length).toBeGreaterThanOrEqual(10);
  const exposed = new Set([...(await scrape()).matchAll(/^# TYPE (\S+) (\S+)/gm)].map((m) => m[1]));
  for (const expr of exprs) {
    for (const [name] of expr.matchAll(/\b(clerk|http|me|mongodb)_[a-z_]+/g)) {
      expect(exposed).toContain(name.replace(/_(bucket|count|sum)$/, ''));
    }
  }
  const scrapeJob = readFileSync(resolve(__dirname, '..', '..', 'docs', 'monitoring', 'prometheus.yml'), 'utf8');
  expect(scrapeJob).toMatch(/metrics_path: \/metrics/);
});

(promtoolPath ? it : it.skip)('the Prometheus configuration passes promtool check config', async () => {
  const config = resolve(__dirname, '..', '..', 'docs', 'monitoring', 'prometheus.yml');
  const { stdout } = await promisify(execFile)(promtoolPath!, ['check', 'config', config]);
  expect(stdout).toContain('SUCCESS');
});
