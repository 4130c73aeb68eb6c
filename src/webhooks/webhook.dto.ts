import { ApiProperty } from '@nestjs/swagger';

export const WEBHOOK_OUTCOMES = ['applied', 'duplicate', 'stale', 'ignored'] as const;
export type WebhookOutcome = (typeof WEBHOOK_OUTCOMES)[number];

export class WebhookReceiptDto {
  @ApiProperty({ enum: [true] })
  received: true;

  @ApiProperty({
    enum: WEBHOOK_OUTCOMES,
    description:
      'applied: state changed; duplicate: this svix-id was processed before; stale: an older version or a deleted user; ignored: an event type this service does not handle',
  })
  outcome: WebhookOutcome;
}
