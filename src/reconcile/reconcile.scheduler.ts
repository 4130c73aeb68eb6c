import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { runSummary } from '../backfill/backfill-summary';
import { BackfillService } from '../backfill/backfill.service';
import { AppConfigService } from '../config/config.service';
import { MetricsService } from '../metrics/metrics.service';
import { LeaseRepository } from './lease.repository';

const JOB = 'reconcile';
/** How often an instance looks whether a run is due, at most. */
const MAX_TICK_MS = 30_000;

/**
 * With RECONCILE_INTERVAL_MINUTES set, runs the reconciliation (the same as `npm run
 * users:backfill`) once per interval across all instances: a lease in MongoDB lets one instance at
 * a time run it, and a crashed holder's lease expires. Its Backend API calls take at most half of
 * Clerk's rate limit, so lazy sync keeps its headroom.
 */
@Injectable()
export class ReconcileScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Reconcile');
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly config: AppConfigService,
    private readonly leases: LeaseRepository,
    private readonly backfill: BackfillService,
    private readonly metrics: MetricsService,
  ) {}

  private get intervalMs(): number | undefined {
    return this.config.values.reconcileIntervalMs;
  }

  /** Long enough to outlast a slow page, short enough that a crashed holder is replaced soon. */
  private get leaseTtlMs(): number {
    return Math.min(60_000, Math.max(5_000, this.intervalMs! / 2));
  }

  onApplicationBootstrap(): void {
    if (!this.intervalMs) return;
    const tick = Math.min(this.intervalMs, MAX_TICK_MS, this.leaseTtlMs);
    this.timer = setInterval(() => this.tick(), tick).unref();
    setTimeout(() => this.tick(), 1_000).unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    if (this.running || !this.timer) return;
    this.running = this.runIfDue()
      .catch((error: Error) => this.logger.warn(`Reconciliation could not start: ${error.message}`))
      .finally(() => (this.running = undefined));
  }

  private async runIfDue(): Promise<void> {
    if (!(await this.leases.acquire(JOB, this.owner, this.leaseTtlMs))) return;
    const renewal = setInterval(
      () => void this.leases.renew(JOB, this.owner, this.leaseTtlMs).catch(() => undefined),
      this.leaseTtlMs / 3,
    );
    const startedAt = Date.now();
    this.logger.log({ owner: this.owner }, 'Reconciliation started');
    let summary: string;
    try {
      const results = await this.backfill.run({ pageSize: 500 });
      summary = runSummary(results);
      const durationMs = Date.now() - startedAt;
      this.metrics.recordReconciliation(true, durationMs, results);
      this.logger.log({ owner: this.owner, durationMs, summary }, 'Reconciliation done');
    } catch (error) {
      summary = `failed: ${(error as Error).message}`;
      this.metrics.recordReconciliation(false, Date.now() - startedAt, []);
      this.logger.error({ owner: this.owner, err: error }, 'Reconciliation failed');
    } finally {
      clearInterval(renewal);
    }
    await this.leases.finish(JOB, this.owner, new Date(startedAt + this.intervalMs!), summary);
  }
}
