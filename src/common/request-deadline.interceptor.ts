import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import { AppConfigService } from '../config/config.service';
import { RetryLaterException } from './retry-later.exception';

/** What a client is told to wait before it tries again after a stalled database. */
const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * No handler keeps its client waiting longer than DATABASE_TIMEOUT_SECONDS (8 s by default): a
 * stalled database answers 503 with Retry-After, well within Svix's 15 s, so Svix retries rather
 * than counting a timeout. (The driver has no per-operation time limit: its `timeoutMS` is
 * ignored.) The work goes on behind the answer; every write is idempotent, so a retry of a write
 * that landed late reads `duplicate`. Clerk's calls within have a shorter bound of their own.
 */
@Injectable()
export class RequestDeadlineInterceptor implements NestInterceptor {
  private readonly deadlineMs: number;

  constructor(config: AppConfigService) {
    this.deadlineMs = config.values.limits.databaseTimeoutMs;
  }

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    // A plain timer, cleared with the answer. (RxJS's `timeout` operator schedules through its
    // async scheduler, an interval per request: measured, it raised the service's peak RSS under
    // load from about 180 to about 340 MiB.)
    return new Observable((subscriber) => {
      const deadline = setTimeout(
        () =>
          subscriber.error(
            new RetryLaterException(
              `The database did not answer within ${this.deadlineMs / 1000} s; try again later`,
              DATABASE_RETRY_AFTER_SECONDS,
            ),
          ),
        this.deadlineMs,
      );
      const handled = next.handle().subscribe({
        next: (value) => subscriber.next(value),
        error: (error: unknown) => {
          clearTimeout(deadline);
          subscriber.error(error);
        },
        complete: () => {
          clearTimeout(deadline);
          subscriber.complete();
        },
      });
      return () => {
        clearTimeout(deadline);
        handled.unsubscribe();
      };
    });
  }
}
