import { Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from '../auth/public.decorator';
import { ApiErrors } from '../http/api-errors.decorator';
import { ApiSvixHeaders } from './api-svix-headers.decorator';
import { CLERK_EVENT_SCHEMA, WebhookReceiptDto } from './webhook.dto';
import { WebhooksService } from './webhooks.service';

@ApiTags('webhooks')
@Public()
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post('clerk')
  @HttpCode(200)
  // The body stays raw bytes: the signature covers them exactly.
  @RouteConfig({ rawBody: true })
  @ApiOperation({
    summary:
      'Receive a Svix-signed Clerk event (user.*, organization.*, organizationMembership.*: created, updated, deleted)',
  })
  @ApiSvixHeaders()
  @ApiBody({ description: "Clerk's event as Svix delivers it", schema: CLERK_EVENT_SCHEMA })
  @ApiOkResponse({
    type: WebhookReceiptDto,
    description: 'Stored durably (or already stored, stale, or ignored: a type the service does not sync)',
  })
  @ApiErrors({
    400: 'Missing Svix headers, an oversized signature header, bad signature, timestamp not a number or outside tolerance, not JSON',
    413: 'Body over 1 MiB',
    415: 'The body is not application/json',
    422: 'A verified event without a type, or of a handled type whose data lacks what the service needs (names the field)',
    503: 'Database unavailable: Svix retries later; the webhook secret not configured (development)',
  })
  async receive(
    @Req() request: FastifyRequest,
    @Headers() headers: Record<string, string | string[] | undefined>,
  ): Promise<WebhookReceiptDto> {
    const body = Buffer.isBuffer(request.body)
      ? request.body
      : Buffer.from(typeof request.body === 'string' ? request.body : '');
    return { received: true, outcome: await this.webhooks.receive(body, headers) };
  }
}
