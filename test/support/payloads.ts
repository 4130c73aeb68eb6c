import { randomBytes } from 'node:crypto';

export { clerkUser, deletedEvent, newUserId, userEvent } from '../../src/cli/clerk-sample';
export type { ClerkUserOptions } from '../../src/cli/clerk-sample';
export {
  clerkMembership,
  clerkOrganization,
  deletedOrganizationEvent,
  membershipEvent,
  newOrganizationId,
  organizationEvent,
} from '../../src/cli/clerk-organization-sample';
export { signedDelivery } from '../../src/cli/signed-delivery';
export type { Delivery } from '../../src/cli/signed-delivery';

export const newWebhookSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

/** JSON text nested `depth` levels deep: arrays (`[[[]]]`) or objects (`{"a":{"a":1}}`). */
export const nestedJson = (depth: number, kind: 'arrays' | 'objects') =>
  kind === 'arrays' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
