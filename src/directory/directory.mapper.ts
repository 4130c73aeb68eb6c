import type { MemberEntry } from '../organizations/memberships.repository';
import type { DirectoryEntry } from '../users/users.repository';
import type { MemberDto, PublicProfileDto } from './directory.dto';

/**
 * A member as the member list shows it: names and image from the stored user once synced, else
 * what Clerk sent with the membership; `identifier` as Clerk shows it.
 */
export function toMemberDto(membership: MemberEntry, user: DirectoryEntry | undefined): MemberDto {
  const shown = membership.publicUserData;
  const person = user ?? {
    firstName: shown?.firstName,
    lastName: shown?.lastName,
    username: shown?.username,
    imageUrl: shown?.imageUrl,
  };
  const identifier = user?.email ?? user?.phoneNumber ?? user?.username ?? shown?.identifier ?? '';
  return {
    userId: membership.userId!,
    firstName: person.firstName ?? null,
    lastName: person.lastName ?? null,
    username: person.username ?? null,
    imageUrl: person.imageUrl ?? null,
    identifier,
    role: membership.role!,
    joinedAt: new Date(membership.clerkCreatedAt ?? membership.createdAt).toISOString(),
  };
}

/** The five public fields of a user, and nothing else. */
export function toPublicProfileDto(user: DirectoryEntry): PublicProfileDto {
  return {
    id: user._id,
    firstName: user.firstName ?? null,
    lastName: user.lastName ?? null,
    username: user.username ?? null,
    imageUrl: user.imageUrl ?? null,
  };
}
