import { createHash, timingSafeEqual } from 'node:crypto';
import { Controller, Get, Headers, Res, UnauthorizedException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../http/api-errors.decorator';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/public.decorator';
import { AppConfigService } from '../config/config.service';
import { MetricsService } from './metrics.service';

const digest = (value: string) => createHash('sha256').update(value).digest();

@ApiTags('metrics')
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly config: AppConfigService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Prometheus metrics (text format); needs Authorization: Bearer METRICS_TOKEN when that is set',
  })
  @ApiOkResponse({ description: 'Prometheus text exposition format', content: { 'text/plain': {} } })
  // The bearer token only when METRICS_TOKEN is set: an empty requirement says it may be left out.
  @ApiSecurity('metrics')
  @ApiSecurity({})
  @ApiErrors({ 401: 'METRICS_TOKEN is set and the bearer token does not match it' })
  async getMetrics(
    @Headers('authorization') authorization: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    this.authorize(authorization);
    const text = await this.metrics.registry.metrics();
    void reply.header('content-type', this.metrics.registry.contentType).send(text);
  }

  /** With METRICS_TOKEN set, the bearer token must match it; compared in constant time. */
  private authorize(authorization: string | undefined): void {
    const expected = this.config.values.metricsToken;
    if (!expected) return;
    const given = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1] ?? '';
    if (!timingSafeEqual(digest(given), digest(expected))) {
      throw new UnauthorizedException('The metrics need Authorization: Bearer <METRICS_TOKEN>');
    }
  }
}
