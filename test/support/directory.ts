import type { ClerkTestBed } from './clerk-test-bed';
import { request } from './http';
import {
  clerkMembership,
  clerkOrganization,
  clerkUser,
  ClerkUserOptions,
  deletedEvent,
  deletedOrganizationEvent,
  membershipEvent,
  organizationEvent,
  userEvent,
} from './payloads';

/** Clerk's system permissions as its default roles carry them (an admin has all; a member may read members). */
export const ADMIN_PERMISSIONS = [
  'org:sys_profile:manage',
  'org:sys_profile:delete',
  'org:sys_memberships:read',
  'org:sys_memberships:manage',
  'org:sys_domains:read',
  'org:sys_domains:manage',
];
export const MEMBER_PERMISSIONS = ['org:sys_memberships:read'];
export const ROLES = {
  admin: { role: 'org:admin', permissions: ADMIN_PERMISSIONS },
  member: { role: 'org:member', permissions: MEMBER_PERMISSIONS },
} as const;

type Organization = ReturnType<typeof clerkOrganization>;
type Membership = ReturnType<typeof clerkMembership>;

/**
 * An organization and its people, made through the service's front door: every user, organization
 * and membership arrives as a real signed webhook.
 */
export class Directory {
  constructor(private readonly bed: ClerkTestBed) {}

  /** A user stored by its `user.created` webhook. */
  async user(options: ClerkUserOptions = {}) {
    const user = clerkUser(options);
    await this.expectApplied(userEvent('user.created', user));
    return user;
  }

  async organization(options: Parameters<typeof clerkOrganization>[0] = {}): Promise<Organization> {
    const organization = clerkOrganization(options);
    await this.expectApplied(organizationEvent('organization.created', organization));
    return organization;
  }

  /** The user joins (an `organizationMembership.created` webhook); an admin unless told otherwise. */
  async join(
    organization: Organization,
    userId: string,
    options: Partial<Omit<Parameters<typeof clerkMembership>[0], 'userId' | 'organization'>> = ROLES.admin,
  ): Promise<Membership> {
    const membership = clerkMembership({ organization, userId, ...options });
    await this.expectApplied(membershipEvent('organizationMembership.created', membership));
    return membership;
  }

  /** A newer version of the membership (a role change): `organizationMembership.updated`. */
  async update(membership: Membership, changes: Partial<Membership>): Promise<Membership> {
    const updated = { ...membership, updated_at: membership.updated_at + 1_000, ...changes };
    await this.expectApplied(membershipEvent('organizationMembership.updated', updated));
    return updated;
  }

  async leave(membership: Membership): Promise<void> {
    await this.expectApplied(membershipEvent('organizationMembership.deleted', membership));
  }

  async deleteUser(userId: string): Promise<void> {
    await this.expectApplied(deletedEvent(userId));
  }

  async deleteOrganization(organizationId: string): Promise<void> {
    await this.expectApplied(deletedOrganizationEvent(organizationId));
  }

  /** A token of the user's one session (GET /me's body names the session, so its ETag depends on it). */
  token(userId: string): string {
    return this.bed.tokenFor(userId, { sid: `sess_${userId.slice('user_'.length)}` });
  }

  /** GET a path as the user, with extra headers. */
  get(userId: string, path: string, headers: Record<string, string> = {}) {
    return request(`${this.bed.url}${path}`, {
      headers: { authorization: `Bearer ${this.token(userId)}`, ...headers },
    });
  }

  /** Every member, walking the pages of `limit`, as the user; `between` runs before each following page. */
  async walkMembers(userId: string, organizationId: string, limit: number, between?: () => Promise<void>) {
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const query: string = `limit=${limit}${after ? `&after=${encodeURIComponent(after)}` : ''}`;
      const page = await this.get(userId, `/organizations/${organizationId}/members?${query}`);
      if (page.status !== 200) throw new Error(`page answered ${page.status}: ${JSON.stringify(page.body)}`);
      seen.push(...page.body.data.map((member: { userId: string }) => member.userId));
      after = page.body.next;
      if (after && between) await between();
    } while (after);
    return seen;
  }

  private async expectApplied(event: unknown): Promise<void> {
    const outcome = await this.bed.outcomeOf(event);
    if (outcome !== 'applied') throw new Error(`expected the event to apply, got ${outcome}`);
  }
}
