import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { MetricsService } from '../../src/metrics/metrics.service';
import { findOutsideTool, PROMTOOL } from '../support/outside-tools';

/**
 * The alert rules that ship with the service (docs/monitoring/alerts.yml): valid, passing their
 * promtool unit tests, written against metrics the service exposes, loaded by the compose
 * monitoring profile, and each with its runbook in docs/operations.md.
 */
const root = resolve(__dirname, '..', '..');
const monitoring = join(root, 'docs', 'monitoring');
const rules = readFileSync(join(monitoring, 'alerts.yml'), 'utf8');
const alertNames = [...rules.matchAll(/^\s+- alert: (\w+)$/gm)].map((match) => match[1]);
const promtoolPath = findOutsideTool(PROMTOOL, 'test/metrics/alert-rules.e2e-spec.ts (promtool rules)');
const promtool = (...args: string[]) =>
  promisify(execFile)(promtoolPath!, args).catch((error: { stdout: string; stderr: string; code: number }) => error);

it('covers silence, signatures, 5xx, the database, the Backend API, the reconciliation and the JWKS', () => {
  expect(alertNames).toEqual([
    'ClerkWebhooksSilent',
    'ClerkWebhookSignatureFailures',
    'ClerkWebhookServerErrors',
    'ClerkUserSyncHighErrorRate',
    'ClerkUserSyncDatabaseUnavailable',
    'ClerkBackendApiFailing',
    'ClerkBackendApiRateLimited',
    'ClerkReconciliationFailing',
    'ClerkReconciliationRemovedMany',
    'ClerkSessionVerificationUnavailable',
  ]);
});

(promtoolPath ? it : it.skip)('pass promtool check rules', async () => {
  const { stdout } = await promtool('check', 'rules', join(monitoring, 'alerts.yml'));
  expect(stdout).toContain(`SUCCESS: ${alertNames.length} rules found`);
});

(promtoolPath ? it : it.skip)('pass their promtool unit tests, which fail when a rule goes', async () => {
  const testFiles = ['alerts.test.yml', 'alerts.weekly.test.yml'].map((file) => join(monitoring, file));
  const passed = await promtool('test', 'rules', ...testFiles);
  expect(passed.stdout.match(/SUCCESS/g)).toHaveLength(testFiles.length);
  // The same tests against the rules without the silence alert: they must notice.
  const copy = mkdtempSync(join(tmpdir(), 'alert-rules-'));
  copyFileSync(join(monitoring, 'alerts.test.yml'), join(copy, 'alerts.test.yml'));
  writeFileSync(join(copy, 'alerts.yml'), rules.replace('alert: ClerkWebhooksSilent', 'alert: Renamed'));
  const failed = await promtool('test', 'rules', join(copy, 'alerts.test.yml'));
  expect(`${failed.stdout}${failed.stderr}`).toContain('FAILED');
});

it('use only metrics the service exposes', async () => {
  const exposed = new Set((await new MetricsService().registry.getMetricsAsJSON()).map((metric) => metric.name));
  const used = [...rules.matchAll(/\b(clerk|http|mongodb)_[a-z_]+/g)].map(([name]) => name.replace(/_count$/, ''));
  expect(used.length).toBeGreaterThan(10);
  for (const name of used) expect(exposed).toContain(name);
});

it('are loaded by the compose monitoring profile', () => {
  expect(readFileSync(join(monitoring, 'prometheus.yml'), 'utf8')).toMatch(/^rule_files:\n\s+- alerts\.yml$/m);
  expect(readFileSync(join(root, 'docker-compose.yml'), 'utf8')).toContain(
    './docs/monitoring/alerts.yml:/etc/prometheus/alerts.yml:ro',
  );
});

it('each have a runbook in docs/operations.md: what it means, what to check, how to recover', () => {
  const operations = readFileSync(join(root, 'docs', 'operations.md'), 'utf8');
  for (const name of alertNames) {
    expect(rules).toContain(`runbook: docs/operations.md#${name.toLowerCase()}`);
    const section = operations.split(/^### /m).find((part) => part.startsWith(`${name}\n`));
    expect(section).toBeDefined();
    expect(section).toMatch(/\*\*What it means\.\*\*[\s\S]+\*\*What to check\.\*\*[\s\S]+\*\*How to recover\.\*\*/);
  }
});
