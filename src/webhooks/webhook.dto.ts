import { ApiProperty, type SchemaObject } from '@nestjs/swagger';
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

/** Clerk's event envelope (what the service reads of it; Clerk may send more, and it is accepted). */
export const CLERK_EVENT_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['type'],
  additionalProperties: true,
  properties: {
    type: {
      type: 'string',
      example: 'user.created',
      description: 'user.*, organization.*, organizationMembership.*; others are ignored',
    },
    object: { type: 'string', example: 'event' },
    timestamp: { type: 'integer', description: 'When Clerk emitted it: epoch milliseconds or seconds' },
    instance_id: { type: 'string' },
    data: {
      type: 'object',
      additionalProperties: true,
      description:
        'The Clerk object (User, Organization, OrganizationMembership), or {id, object, deleted: true}; any shape for a type the service does not sync',
      properties: {
        id: { type: 'string', example: 'user_2abc' },
        updated_at: { type: 'integer', description: 'Epoch milliseconds: the newest version wins' },
        deleted: { type: 'boolean' },
      },
    },
  },
};
