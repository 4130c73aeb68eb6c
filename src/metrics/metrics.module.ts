import { Global, Module } from '@nestjs/common';
import { ClerkCallObserver } from '../clerk/clerk-call-observer';
import { MetricsService } from './metrics.service';

/**
 * The metrics registry, for every module that counts something (the HTTP app and the commands);
 * it counts Clerk's Backend API calls for the Clerk client, which does not know it.
 */
@Global()
@Module({
  providers: [MetricsService, { provide: ClerkCallObserver, useExisting: MetricsService }],
  exports: [MetricsService, ClerkCallObserver],
})
export class MetricsModule {}
