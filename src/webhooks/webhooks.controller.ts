import { Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from '../auth/public.decorator';
import { WebhookReceiptDto } from './webhook.dto';
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
  // Either family of names is accepted, as the svix package accepts it.
  @ApiHeader({ name: 'svix-id', required: false, description: 'The message id; or send it as webhook-id' })
  @ApiHeader({ name: 'svix-timestamp', required: false, description: 'Epoch seconds; or send it as webhook-timestamp' })
  @ApiHeader({
    name: 'svix-signature',
    required: false,
    description: 'The signatures; or send them as webhook-signature',
  })
  @ApiHeader({ name: 'webhook-id', required: false, description: 'Standard Webhooks name of svix-id' })
  @ApiHeader({ name: 'webhook-timestamp', required: false, description: 'Standard Webhooks name of svix-timestamp' })
  @ApiHeader({ name: 'webhook-signature', required: false, description: 'Standard Webhooks name of svix-signature' })
  @ApiBody({ description: 'The Clerk event as Svix delivers it', schema: { type: 'object' } })
  @ApiOkResponse({
    type: WebhookReceiptDto,
    description: 'Stored durably (or already stored, stale, or ignored: a type the service does not sync)',
  })
  @ApiResponse({
    status: 400,
    description: 'Missing Svix headers, bad signature, timestamp outside tolerance, not JSON',
  })
  @ApiResponse({ status: 413, description: 'Body over 1 MiB' })
  @ApiResponse({
    status: 422,
    description: 'A verified event without a type, or of a handled type whose data lacks what the service needs',
  })
  @ApiResponse({ status: 503, description: 'Database unavailable: Svix retries later' })
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
