import { ApiProperty } from '@nestjs/swagger';
import { SYNC_OUTCOMES, type SyncOutcome } from '../sync/sync.rule';

export class WebhookReceiptDto {
  @ApiProperty({ enum: [true] })
  received: true;

  @ApiProperty({
    enum: SYNC_OUTCOMES,
    description:
      'applied: state changed; duplicate: this svix-id was processed before; stale: an older version or a deleted user; ignored: an event type this service does not handle',
  })
  outcome: SyncOutcome;
}
