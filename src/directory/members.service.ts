import { BadRequestException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { z } from 'zod';
import type { ClerkSession } from '../auth/clerk-session';
import { cursorKey, SignedCursors } from '../common/signed-cursors';
import { AppConfigService } from '../config/config.service';
import { MemberEntry, MemberPosition, MembershipsRepository } from '../organizations/memberships.repository';
import { UserOrganizationsService } from '../organizations/user-organizations.service';
import { UsersRepository } from '../users/users.repository';
import type { MemberDto, MemberPageDto } from './directory.dto';
import { toMemberDto } from './directory.mapper';

/** Clerk's own permission for reading an organization's member list (`<OrganizationProfile />` needs it). */
const READ_MEMBERS = 'org:sys_memberships:read';
const DEFAULT_LIMIT = 20;
/** Rounds of reads that may skip members deleted here before a page is answered short. */
const MAX_ROUNDS = 4;
const ORGANIZATION_ID = /^org_[A-Za-z0-9_]{1,60}$/;

/** A cursor's position: the last membership of its page, by (Clerk's created_at in ms, id). */
const Position = z.strictObject({
  t: z.number().int().min(0).max(8.64e15).nullable(),
  i: z.string().regex(/^orgmem_[A-Za-z0-9_]{1,57}$/),
});

/** An organization's member list, for the members who may read it. */
@Injectable()
export class MembersService {
  private readonly cursors: SignedCursors;

  constructor(
    private readonly userOrganizations: UserOrganizationsService,
    private readonly memberships: MembershipsRepository,
    private readonly users: UsersRepository,
    config: AppConfigService,
  ) {
    this.cursors = new SignedCursors(cursorKey([config.clerk.secretKey, ...config.clerk.webhookSigningSecrets]));
  }

  async listMembers(
    session: ClerkSession,
    organizationId: string,
    query: { limit?: string; after?: string },
  ): Promise<MemberPageDto> {
    const limit = query.limit === undefined ? DEFAULT_LIMIT : Number(query.limit);
    const after = query.after === undefined ? undefined : this.readCursor(organizationId, query.after);
    await this.requireReader(session.userId, organizationId);
    const { members, last } = await this.readPage(organizationId, after, limit);
    return { data: members, next: last ? this.writeCursor(organizationId, last) : null };
  }

  /** 404 alike for an unknown or deleted organization and a non-member; 403 without the permission. */
  private async requireReader(userId: string, organizationId: string): Promise<void> {
    const permissions = ORGANIZATION_ID.test(organizationId)
      ? await this.userOrganizations.findPermissionsIn(userId, organizationId)
      : null;
    if (!permissions) throw new NotFoundException('Organization not found');
    if (!permissions.includes(READ_MEMBERS)) {
      throw new ForbiddenException(`Reading the member list needs the ${READ_MEMBERS} permission`);
    }
  }

  /**
   * Up to `limit` members after `after`, skipping members whose user is deleted here; `last` is
   * where the following page starts, when there may be one.
   */
  private async readPage(
    organizationId: string,
    after: MemberPosition | undefined,
    limit: number,
  ): Promise<{ members: MemberDto[]; last?: MemberPosition }> {
    const members: MemberDto[] = [];
    let position = after;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const wanted = limit - members.length;
      // One more than wanted: whether a following page exists.
      const batch = await this.memberships.findLivePage(organizationId, position, wanted + 1);
      const page = batch.slice(0, wanted);
      const users = await this.users.findDirectoryEntries([...new Set(page.map((entry) => entry.userId!))]);
      const byId = new Map(users.map((user) => [user._id, user]));
      for (const entry of page) {
        position = positionOf(entry);
        const user = byId.get(entry.userId!);
        if (!user?.deletedAt) members.push(toMemberDto(entry, user));
      }
      if (batch.length <= wanted) return { members };
      if (members.length === limit) break;
    }
    return { members, last: position };
  }

  private readCursor(organizationId: string, cursor: string): MemberPosition {
    const position = this.cursors.read(`members:${organizationId}`, cursor, Position);
    if (!position) throw new BadRequestException('after must be a cursor from a page before, as it came');
    return { joinedAt: position.t === null ? null : new Date(position.t), id: position.i };
  }

  private writeCursor(organizationId: string, { joinedAt, id }: MemberPosition): string {
    return this.cursors.write(`members:${organizationId}`, { t: joinedAt ? joinedAt.getTime() : null, i: id });
  }
}

const positionOf = (entry: MemberEntry): MemberPosition => ({ joinedAt: entry.clerkCreatedAt ?? null, id: entry._id });
