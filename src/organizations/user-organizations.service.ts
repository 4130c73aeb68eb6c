import { Injectable } from '@nestjs/common';
import { MembershipsRepository } from './memberships.repository';
import type { Organization } from './organization.schema';
import { OrganizationsRepository } from './organizations.repository';

/** A user's membership of a live organization, as /me lists it. */
export interface UserOrganization {
  organization: Organization;
  role: string;
  permissions: string[];
}

/** A place in a user's organizations: the last of a page, by (name, id). */
export interface OrganizationPosition {
  name: string;
  id: string;
}

/** A page of a user's organizations; `last` when more follow. */
export interface UserOrganizationPage {
  organizations: UserOrganization[];
  last?: OrganizationPosition;
}

/**
 * The read side of organizations and memberships: a user's live memberships of live
 * organizations, for /me and the directory.
 */
@Injectable()
export class UserOrganizationsService {
  constructor(
    private readonly organizations: OrganizationsRepository,
    private readonly memberships: MembershipsRepository,
  ) {}

  /** The user's live memberships of live organizations, by organization name (then id). */
  async listUserOrganizations(userId: string): Promise<UserOrganization[]> {
    const memberships = await this.memberships.findLiveOfUser(userId);
    if (!memberships.length) return [];
    const organizations = await this.organizations.findLive(
      memberships.map((membership) => membership.organizationId!),
    );
    const byId = new Map(organizations.map((organization) => [organization._id, organization]));
    return memberships
      .flatMap(({ organizationId, role, permissions }) => {
        const organization = byId.get(organizationId!);
        return organization ? [{ organization, role: role!, permissions: permissions ?? [] }] : [];
      })
      .sort((a, b) => compare(positionOf(a.organization), positionOf(b.organization)));
  }

  /** Up to `limit` of the user's organizations after `after`, in `listUserOrganizations` order. */
  async pageUserOrganizations(
    userId: string,
    after: OrganizationPosition | undefined,
    limit: number,
  ): Promise<UserOrganizationPage> {
    const all = await this.listUserOrganizations(userId);
    const start = after ? all.findIndex(({ organization }) => compare(positionOf(organization), after) > 0) : 0;
    const organizations = start < 0 ? [] : all.slice(start, start + limit);
    const more = start >= 0 && start + limit < all.length;
    return { organizations, last: more ? positionOf(organizations.at(-1)!.organization) : undefined };
  }

  /** The ids of the live organizations the user is a live member of. */
  async findLiveOrganizationIds(userId: string): Promise<string[]> {
    const memberships = await this.memberships.findLiveOfUser(userId);
    if (!memberships.length) return [];
    const organizations = await this.organizations.findLive(memberships.map(({ organizationId }) => organizationId!));
    return organizations.map((organization) => organization._id);
  }

  /** The user's permissions in a live organization; null when either is unknown, deleted, or not a member. */
  async findPermissionsIn(userId: string, organizationId: string): Promise<string[] | null> {
    const [organizations, membership] = await Promise.all([
      this.organizations.findLive([organizationId]),
      this.memberships.findLiveOfUserIn(userId, organizationId),
    ]);
    if (!organizations.length || !membership) return null;
    return membership.permissions ?? [];
  }
}

const positionOf = (organization: Organization): OrganizationPosition => ({
  name: organization.name ?? '',
  id: organization._id,
});

const compare = (a: OrganizationPosition, b: OrganizationPosition) =>
  a.name.localeCompare(b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
