import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ClerkFailure } from '../clerk/clerk-api.error';
import type { SessionObserver } from '../auth/session-observer';
import type { ClerkCallObserver } from '../clerk/clerk-call-observer';
import { HANDLED_EVENT_TYPES } from '../clerk/clerk-event.schema';
import type { HttpObserver } from '../http/http-observer';
import type { SyncOutcome } from '../sync/sync.rule';

/** Webhook event types counted by name; anything else counts as `other`, so labels stay few. */
const KNOWN_TYPES: ReadonlySet<string> = new Set(HANDLED_EVENT_TYPES);

/**
 * The service's Prometheus metrics (prom-client), on a registry of its own per application:
 * webhook deliveries, Backend API calls, HTTP latency by route pattern, lazy syncs, database
 * outages and the reconciliation, with the default process and Node metrics.
 */
@Injectable()
export class MetricsService implements HttpObserver, ClerkCallObserver, SessionObserver {
  readonly registry = new Registry();

  private readonly deliveries = new Counter({
    name: 'clerk_webhook_deliveries_total',
    help: 'Webhook deliveries by event type and outcome; rejected ones (4xx) by reason',
    labelNames: ['type', 'outcome', 'reason'],
    registers: [this.registry],
  });
  private readonly deliveryDuration = new Histogram({
    name: 'clerk_webhook_duration_seconds',
    help: 'Time from a delivery arriving to its durable answer',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly deliveryLag = new Histogram({
    name: 'clerk_webhook_lag_seconds',
    help: "Now minus the event's own timestamp: Svix's retry delays and backlogs",
    buckets: [1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 12 * 3600, 28 * 3600],
    registers: [this.registry],
  });
  private readonly lastReceived = new Gauge({
    name: 'clerk_webhook_last_received_timestamp_seconds',
    help: 'When the last delivery reached this instance, whatever its answer (0: none since the start)',
    registers: [this.registry],
  });
  private readonly lastApplied = new Gauge({
    name: 'clerk_webhook_last_applied_timestamp_seconds',
    help: 'When the last delivery of each event type changed the database on this instance',
    labelNames: ['type'],
    registers: [this.registry],
  });
  private readonly apiRequests = new Counter({
    name: 'clerk_backend_api_requests_total',
    help: "Calls to Clerk's Backend API by operation and HTTP status (network: no answer)",
    labelNames: ['operation', 'status'],
    registers: [this.registry],
  });
  private readonly apiDuration = new Histogram({
    name: 'clerk_backend_api_duration_seconds',
    help: "Duration of calls to Clerk's Backend API",
    labelNames: ['operation'],
    buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  private readonly lazySyncs = new Counter({
    name: 'me_lazy_syncs_total',
    help: 'Users fetched from Clerk on their first /me, by result',
    labelNames: ['result'],
    registers: [this.registry],
  });
  private readonly databaseUnavailable = new Counter({
    name: 'mongodb_unavailable_total',
    help: 'Requests answered 503 because the database could not be reached',
    registers: [this.registry],
  });
  private readonly sessionsUnverifiable = new Counter({
    name: 'clerk_session_verification_unavailable_total',
    help: "Session tokens answered 503 because Clerk's JWKS could not be fetched",
    registers: [this.registry],
  });
  private readonly reconcileRuns = new Counter({
    name: 'clerk_reconcile_runs_total',
    help: 'Reconciliation runs of this instance, by result',
    labelNames: ['result'],
    registers: [this.registry],
  });
  private readonly reconcileLastRun = new Gauge({
    name: 'clerk_reconcile_last_run_timestamp_seconds',
    help: 'When the last reconciliation of this instance finished',
    registers: [this.registry],
  });
  private readonly reconcileLastDuration = new Gauge({
    name: 'clerk_reconcile_last_run_duration_seconds',
    help: 'How long the last reconciliation of this instance took',
    registers: [this.registry],
  });
  private readonly reconcileLastCounts = new Gauge({
    name: 'clerk_reconcile_last_run_objects',
    help: 'What the last reconciliation did, by kind and count (created, updated, unchanged, skipped_deleted, removed, invalid)',
    labelNames: ['kind', 'count'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** A delivery's answer: a sync outcome, or `rejected` (4xx) with its reason. */
  countDelivery(type: string | undefined, outcome: SyncOutcome | 'rejected', reason = ''): void {
    const label = type === undefined ? 'unknown' : KNOWN_TYPES.has(type) ? type : 'other';
    this.deliveries.inc({ type: label, outcome, reason });
    if (outcome === 'applied') this.lastApplied.set({ type: label }, Date.now() / 1000);
  }

  /** Any delivery, before its answer is known (a 503 too): Svix still reaches the endpoint. */
  markDeliveryReceived(): void {
    this.lastReceived.set(Date.now() / 1000);
  }

  observeDeliveryDuration(startedAt: bigint, eventTimestampMs?: number): void {
    this.deliveryDuration.observe(Number(process.hrtime.bigint() - startedAt) / 1e9);
    if (eventTimestampMs !== undefined) this.deliveryLag.observe(Math.max(0, (Date.now() - eventTimestampMs) / 1000));
  }

  countBackendApiCall(operation: string, status: number | 'network' | 'error', seconds: number): void {
    this.apiRequests.inc({ operation, status: String(status) });
    this.apiDuration.observe({ operation }, seconds);
  }

  observeHttpRequest(method: string, route: string, statusCode: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status_code: String(statusCode) }, seconds);
  }

  countLazySync(result: 'synced' | ClerkFailure): void {
    this.lazySyncs.inc({ result });
  }

  countSessionVerificationUnavailable(): void {
    this.sessionsUnverifiable.inc();
  }

  countDatabaseUnavailable(): void {
    this.databaseUnavailable.inc();
  }

  recordReconciliation(ok: boolean, durationMs: number, counts: { kind: string; counts: object }[]): void {
    this.reconcileRuns.inc({ result: ok ? 'ok' : 'failed' });
    this.reconcileLastRun.set(Date.now() / 1000);
    this.reconcileLastDuration.set(durationMs / 1000);
    for (const { kind, counts: byCount } of counts) {
      for (const [count, value] of Object.entries(byCount) as [string, number][]) {
        this.reconcileLastCounts.set({ kind, count: count === 'skippedDeleted' ? 'skipped_deleted' : count }, value);
      }
    }
  }
}
