import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import type { ClerkSession } from '../auth/clerk-session';
import { AppConfigService } from '../config/config.service';
import type { PublicProfileScope } from '../config/app-config';
import { MembershipsRepository } from '../organizations/memberships.repository';
import { UserOrganizationsService } from '../organizations/user-organizations.service';
import { UsersRepository } from '../users/users.repository';
import type { PublicProfileDto, PublicProfilesDto } from './directory.dto';
import { toPublicProfileDto } from './directory.mapper';

const MAX_PROFILES = 100;
const USER_ID = /^user_[A-Za-z0-9_]{1,59}$/;

/**
 * Other users' public profiles. A user is visible to the caller when it is the caller, shares a
 * live organization with them (both memberships live), or, with PUBLIC_PROFILES=all, is live.
 * Unknown, deleted and invisible users are answered alike.
 */
@Injectable()
export class ProfilesService {
  private readonly scope: PublicProfileScope;

  constructor(
    private readonly userOrganizations: UserOrganizationsService,
    private readonly memberships: MembershipsRepository,
    private readonly users: UsersRepository,
    config: AppConfigService,
  ) {
    this.scope = config.values.publicProfiles;
  }

  async getProfile(session: ClerkSession, userId: string): Promise<PublicProfileDto> {
    const [profile] = await this.findVisible(session.userId, [userId]);
    if (!profile) throw new NotFoundException('User not found');
    return profile;
  }

  async getProfiles(session: ClerkSession, ids: string | string[] | undefined): Promise<PublicProfilesDto> {
    const asked = (ids === undefined ? [] : [ids].flat()).filter((id) => id !== '');
    if (!asked.length || asked.length > MAX_PROFILES) {
      throw new BadRequestException(`id must be given 1 to ${MAX_PROFILES} times (?id=user_a&id=user_b)`);
    }
    return { data: await this.findVisible(session.userId, asked) };
  }

  /** The visible profiles among `asked`, in its order: a fixed number of queries, whatever the count. */
  private async findVisible(callerId: string, asked: string[]): Promise<PublicProfileDto[]> {
    const ids = [...new Set(asked.filter((id) => USER_ID.test(id)))];
    const visible = await this.visibleAmong(callerId, ids);
    if (!visible.size) return [];
    const users = await this.users.findDirectoryEntries([...visible]);
    const live = new Map(users.filter((user) => !user.deletedAt).map((user) => [user._id, user]));
    return ids.flatMap((id) => {
      const user = live.get(id);
      return user ? [toPublicProfileDto(user)] : [];
    });
  }

  private async visibleAmong(callerId: string, ids: string[]): Promise<Set<string>> {
    if (this.scope === 'all') return new Set(ids);
    const visible = new Set(ids.filter((id) => id === callerId));
    const others = ids.filter((id) => id !== callerId);
    if (!others.length) return visible;
    const organizationIds = await this.userOrganizations.findLiveOrganizationIds(callerId);
    if (!organizationIds.length) return visible;
    for (const id of await this.memberships.findMembersAmong(others, organizationIds)) visible.add(id);
    return visible;
  }
}
