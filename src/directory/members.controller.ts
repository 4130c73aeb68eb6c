import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ClerkSession } from '../auth/clerk-session';
import { Session } from '../auth/session.decorator';
import { ApiErrors } from '../http/api-errors.decorator';
import { ConditionalGet } from '../http/conditional-get';
import { MemberPageDto, MemberPageQueryDto } from './directory.dto';
import { MembersService } from './members.service';

@ApiTags('directory')
@ApiBearerAuth()
@ApiCookieAuth('__session')
@Controller('organizations')
export class MembersController {
  constructor(private readonly members: MembersService) {}

  @Get(':orgId/members')
  @ConditionalGet()
  @ApiOperation({
    summary: "An organization's members, a page at a time, for a team page",
    description:
      "The caller's live membership must hold Clerk's org:sys_memberships:read. A walk of the pages " +
      '(`?after=` the `next` of the page before) lists every member present for the whole walk exactly once.',
  })
  @ApiOkResponse({ type: MemberPageDto, description: 'A page of members (with ETag and Cache-Control)' })
  @ApiErrors({
    400: 'A limit that is not 1 to 100, or a cursor that is not one this service gave for this organization',
    401: 'No token, bad signature, expired, not yet valid, azp not allowed, or a pending session',
    403: 'The caller is a member without the org:sys_memberships:read permission',
    404: 'The organization is unknown or deleted, or the caller is not a member of it (alike)',
    503: 'The database is unavailable',
  })
  listMembers(
    @Session() session: ClerkSession,
    @Param('orgId') orgId: string,
    @Query() query: MemberPageQueryDto,
  ): Promise<MemberPageDto> {
    return this.members.listMembers(session, orgId, query);
  }
}
