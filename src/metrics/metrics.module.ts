import { Global, Module } from '@nestjs/common';
import { MetricsService } from './metrics.service';

/** The metrics registry, for every module that counts something (the HTTP app and the commands). */
@Global()
@Module({ providers: [MetricsService], exports: [MetricsService] })
export class MetricsModule {}
