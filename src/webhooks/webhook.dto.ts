import { ApiProperty } from '@nestjs/swagger';
import { z } from 'zod';

export const WEBHOOK_OUTCOMES = ['applied', 'duplicate', 'stale', 'ignored'] as const;
export type WebhookOutcome = (typeof WEBHOOK_OUTCOMES)[number];

/** The envelope of every Clerk event; `data` is checked per event type. */
export const ClerkEvent = z.object({
  type: z.string().min(1),
  data: z.unknown(),
  timestamp: z.number().optional(),
});
export type ClerkEvent = z.infer<typeof ClerkEvent>;

export const DeletedUserData = z.object({ id: z.string().min(1).max(200) });

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
