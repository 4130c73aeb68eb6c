import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfigService } from '../config/config.service';
import { ClerkBudgetRepository } from './clerk-budget.repository';
import { RequestWindow } from './request-window';

/** Clerk counts requests per 10 s; the shared count is kept per second, so a window is 11 of them. */
const WINDOW_SECONDS = RequestWindow.WINDOW_MS / 1000;

/**
 * Clerk's rate limit for one secret key, shared by every process that uses the key: this
 * service's instances, their reconciliation and every `users:backfill`. Each Backend API request
 * (the JWKS included) is counted in MongoDB per second; bulk work waits until its request fits
 * within half of Clerk's limit counted over the last 10 s plus the current second, so together
 * they never pass half of it in any 10 s, and interactive calls (lazy sync, the JWKS), which never
 * wait, keep the other half. The process's own window (RequestWindow) holds too, and alone
 * whenever the database cannot be asked.
 */
@Injectable()
export class ClerkBudget {
  private readonly logger = new Logger(ClerkBudget.name);
  private readonly local: RequestWindow;
  /** The key as the shared count names it: a hash, never the key. */
  private readonly key: string;
  private sharedFailing = false;
  private lastWaitNotice = Number.NEGATIVE_INFINITY;

  constructor(
    config: AppConfigService,
    private readonly repository: ClerkBudgetRepository,
  ) {
    const { secretKey } = config.clerk;
    this.local = RequestWindow.forSecretKey(secretKey);
    this.key = createHash('sha256')
      .update(secretKey ?? '')
      .digest('base64url')
      .slice(0, 22);
  }

  /** Clerk's limit per 10 s for the key's kind. */
  get limit(): number {
    return this.local.limit;
  }

  /** Counts an interactive request: it never waits. */
  record(requests = 1): void {
    this.local.record(requests);
    this.repository.add(this.key, currentSecond(), requests).then(
      () => this.sharedWorks(),
      (error: unknown) => this.sharedUnavailable(error),
    );
  }

  /** Waits until a bulk call of `requests` fits within its share of the key's budget, then counts it. */
  async acquireBulk(requests = 1): Promise<void> {
    await this.local.acquireBulk(requests);
    const allowed = Math.max(requests, Math.floor(this.local.limit * RequestWindow.BULK_SHARE));
    for (;;) {
      const second = currentSecond();
      try {
        const before = await this.repository.sum(this.key, second - WINDOW_SECONDS, second - 1);
        if (await this.repository.takeIfAtMost(this.key, second, requests, allowed - requests - before)) {
          this.sharedWorks();
          return;
        }
      } catch (error) {
        this.sharedUnavailable(error);
        return;
      }
      this.noticeWait();
      await sleep((second + 1) * 1000 - Date.now() + Math.random() * 50);
    }
  }

  /** Says why a command waits (at most once a minute): other processes use the key's budget. */
  private noticeWait(): void {
    const now = Date.now();
    if (now - this.lastWaitNotice < 60_000) return;
    this.lastWaitNotice = now;
    this.logger.warn(
      "Waiting for Clerk's rate budget: other processes (the service, its reconciliation or another backfill) " +
        `are using this key's share (${Math.floor(this.local.limit * RequestWindow.BULK_SHARE)} requests per 10 s)`,
    );
  }

  private sharedWorks(): void {
    if (this.sharedFailing) this.logger.log("Clerk's shared rate budget is counted in the database again");
    this.sharedFailing = false;
  }

  private sharedUnavailable(error: unknown): void {
    if (!this.sharedFailing)
      this.logger.warn(
        `Clerk's shared rate budget cannot be counted in the database (${(error as Error)?.message ?? error}): ` +
          'this process keeps its own window meanwhile',
      );
    this.sharedFailing = true;
  }
}

const currentSecond = () => Math.floor(Date.now() / 1000);
