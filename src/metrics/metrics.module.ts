import { Global, Module } from '@nestjs/common';
import { SessionObserver } from '../auth/session-observer';
import { ClerkCallObserver } from '../clerk/clerk-call-observer';
import { MetricsService } from './metrics.service';

/**
 * The metrics registry, for every module that counts something (the HTTP app and the commands);
 * it counts Clerk's Backend API calls for the Clerk client, and the session checks Clerk's JWKS
 * prevented for the auth service, neither of which knows it.
 */
@Global()
@Module({
  providers: [
    MetricsService,
    { provide: ClerkCallObserver, useExisting: MetricsService },
    { provide: SessionObserver, useExisting: MetricsService },
  ],
  exports: [MetricsService, ClerkCallObserver, SessionObserver],
})
export class MetricsModule {}
