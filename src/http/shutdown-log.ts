import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { SHUTDOWN_GRACE_MS } from './graceful-shutdown';

/** Says when a shutdown begins (before the server stops accepting) and when everything is closed. */
@Injectable()
export class ShutdownLog implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Shutdown');
  private startedAt = 0;

  beforeApplicationShutdown(signal?: string): void {
    this.startedAt = Date.now();
    this.logger.log(
      `Shutting down${signal ? ` on ${signal}` : ''}: no new connections; requests in flight have ${SHUTDOWN_GRACE_MS / 1000} s to finish`,
    );
  }

  onApplicationShutdown(): void {
    this.logger.log(`Shut down in ${Date.now() - this.startedAt} ms: requests finished, database closed`);
  }
}
