import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { MetricsModule } from './metrics.module';

/** GET /metrics, in the HTTP app only. */
@Module({ imports: [MetricsModule], controllers: [MetricsController] })
export class MetricsHttpModule {}
