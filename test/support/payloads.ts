import { randomBytes } from 'node:crypto';
import { toClerkUserSnapshot } from '../../src/clerk/clerk-user.schema';
import { clerkUser } from '../../src/samples/clerk-user';

export { clerkUser, deletedEvent, newUserId, userEvent } from '../../src/samples/clerk-user';
export type { ClerkUserOptions } from '../../src/samples/clerk-user';
export {
  clerkMembership,
  clerkOrganization,
  deletedOrganizationEvent,
  membershipEvent,
  newOrganizationId,
  organizationEvent,
} from '../../src/samples/clerk-organization';
export { newSvixId, signedDelivery } from '../../src/samples/signed-delivery';
export type { Delivery } from '../../src/samples/signed-delivery';

export const newWebhookSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

/** JSON text nested `depth` levels deep: arrays (`[[[]]]`) or objects (`{"a":{"a":1}}`). */
export const nestedJson = (depth: number, kind: 'arrays' | 'objects') =>
  kind === 'arrays' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

/** Version `index` of a user as the repository takes it: Clerk's `updated_at` grows with the index. */
export const userVersion = (id: string, index: number) =>
  toClerkUserSnapshot(clerkUser({ id, firstName: `Version ${index}`, updatedAt: 1_700_000_000_000 + index }));
