import type { ClerkSession } from '../auth/clerk-session';
import type { UserOrganization } from '../organizations/user-organizations.service';
import type { User } from '../users/user.schema';
import type { FavoriteColorDto, MeDto, MeOrganizationDto } from './me.dto';

/** The session joined to the stored profile and the first page of organizations, as GET /me answers it. */
export function toMeDto(
  session: ClerkSession,
  user: User,
  organizations: UserOrganization[],
  organizationsNext: string | null = null,
): MeDto {
  return {
    userId: session.userId,
    sessionId: session.sessionId,
    orgId: session.orgId,
    profile: {
      id: user._id,
      email: user.email ?? null,
      phoneNumber: user.phoneNumber ?? null,
      firstName: user.firstName ?? null,
      lastName: user.lastName ?? null,
      username: user.username ?? null,
      imageUrl: user.imageUrl ?? null,
      externalId: user.externalId ?? null,
      publicMetadata: parseMetadata(user.publicMetadataJson),
      lastSignInAt: user.lastSignInAt ? new Date(user.lastSignInAt).toISOString() : null,
      favoriteColor: user.favoriteColor!,
      // Clerk's own times: when the user signed up and last changed in Clerk. A user stored without
      // them (Clerk sent no created_at, or a record older than the versions) falls back to our writes.
      createdAt: new Date(user.clerkCreatedAt ?? user.createdAt).toISOString(),
      updatedAt: new Date(user.clerkUpdatedAt ?? user.updatedAt).toISOString(),
      syncedAt: new Date(user.updatedAt).toISOString(),
    },
    organizations: organizations.map(toMeOrganizationDto),
    organizationsNext,
  };
}

/** One of the user's organizations, with the user's role and permissions in it. */
export function toMeOrganizationDto({ organization, role, permissions }: UserOrganization): MeOrganizationDto {
  return {
    id: organization._id,
    name: organization.name ?? '',
    slug: organization.slug ?? null,
    imageUrl: organization.imageUrl ?? null,
    role,
    permissions,
  };
}

/** Metadata is stored as JSON text; a user stored before it was kept has none. */
function parseMetadata(json: string | undefined): Record<string, unknown> {
  return json ? (JSON.parse(json) as Record<string, unknown>) : {};
}

/** The tutorial frontend's answer. */
export function toFavoriteColorDto(user: User): FavoriteColorDto {
  return { payload: user.favoriteColor!, message: `Your favorite color is ${user.favoriteColor}` };
}
