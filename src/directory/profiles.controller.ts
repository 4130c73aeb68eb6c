import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ClerkSession } from '../auth/clerk-session';
import { Session } from '../auth/session.decorator';
import { ApiErrors } from '../http/api-errors.decorator';
import { ConditionalGet } from '../http/conditional-get';
import { ProfilesQueryDto, PublicProfileDto, PublicProfilesDto } from './directory.dto';
import { ProfilesService } from './profiles.service';

@ApiTags('directory')
@ApiBearerAuth()
@ApiCookieAuth('__session')
@ApiErrors({
  401: 'No token, bad signature, expired, not yet valid, azp not allowed, or a pending session',
  503: 'The database is unavailable',
})
@Controller('users')
export class ProfilesController {
  constructor(private readonly profiles: ProfilesService) {}

  @Get()
  @ConditionalGet()
  @ApiOperation({
    summary: 'Public profiles of several users (?id=a&id=b, 1 to 100)',
    description: 'The visible ones, in the order asked; unknown, deleted and invisible users are left out alike.',
  })
  @ApiOkResponse({ type: PublicProfilesDto, description: 'The visible profiles (with ETag and Cache-Control)' })
  @ApiErrors({ 400: 'No id, or more than 100' })
  getProfiles(@Session() session: ClerkSession, @Query() query: ProfilesQueryDto): Promise<PublicProfilesDto> {
    return this.profiles.getProfiles(session, query.id);
  }

  @Get(':userId')
  @ConditionalGet()
  @ApiOperation({
    summary: "A user's public profile",
    description:
      'Visible when it is the caller, shares a live organization with the caller, or PUBLIC_PROFILES=all and it is live.',
  })
  @ApiOkResponse({ type: PublicProfileDto, description: 'The profile (with ETag and Cache-Control)' })
  @ApiErrors({ 404: 'The user is unknown, deleted, or not visible to the caller (alike)' })
  getProfile(@Session() session: ClerkSession, @Param('userId') userId: string): Promise<PublicProfileDto> {
    return this.profiles.getProfile(session, userId);
  }
}
