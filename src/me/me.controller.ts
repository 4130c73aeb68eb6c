import { Body, Controller, Get, Patch, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import type { ClerkSession } from '../auth/clerk-session';
import { ApiErrors } from '../http/api-errors.decorator';
import { ConditionalGet } from '../http/conditional-get';
import { Session } from '../auth/session.decorator';
import { FavoriteColorDto, MeDto, MeOrganizationPageDto, MeOrganizationsQueryDto, UpdateMeDto } from './me.dto';
import { MeService } from './me.service';
import { PATCH_ME_LIMIT, PerUserThrottlerGuard } from './per-user-throttler.guard';

@ApiTags('me')
// Either one: the bearer token, or Clerk's __session cookie.
@ApiBearerAuth()
@ApiCookieAuth('__session')
@ApiErrors({
  401: 'No token, bad signature, expired, not yet valid, azp not allowed',
  404: 'Clerk has no such user, or the user was deleted',
  502: "Clerk refused the service's CLERK_SECRET_KEY, or returned a user the service cannot use (first call for a user)",
  503: 'Clerk or the database is unavailable, or Clerk throttles (first call for a user); a feature not configured (development)',
})
@Controller()
export class MeController {
  constructor(private readonly me: MeService) {}

  @Get('me')
  @ConditionalGet()
  @ApiOperation({ summary: 'The signed-in session joined to the stored profile' })
  @ApiOkResponse({ type: MeDto, description: 'The profile (with ETag and Cache-Control)' })
  getMe(@Session() session: ClerkSession): Promise<MeDto> {
    return this.me.getMe(session);
  }

  @Get('me/organizations')
  @ConditionalGet()
  @ApiOperation({ summary: "The user's organizations after /me's organizationsNext, 100 at a time" })
  @ApiOkResponse({ type: MeOrganizationPageDto })
  @ApiErrors({ 400: 'A cursor that is not one this service gave to this user' })
  listOrganizations(
    @Session() session: ClerkSession,
    @Query() query: MeOrganizationsQueryDto,
  ): Promise<MeOrganizationPageDto> {
    return this.me.listOrganizations(session, query.after);
  }

  @Patch('me')
  @UseGuards(PerUserThrottlerGuard)
  @Throttle({ default: PATCH_ME_LIMIT })
  @ApiOperation({ summary: 'Change app-owned fields (the favourite colour)' })
  @ApiOkResponse({ type: MeDto })
  @ApiErrors({
    400: 'A bad value, a field that is not writable here, or a body that is not JSON',
    413: 'The body is larger than 1 MiB',
    415: 'The body is not application/json',
    429: 'Too many changes for this user',
  })
  updateMe(@Session() session: ClerkSession, @Body() body: UpdateMeDto): Promise<MeDto> {
    return this.me.setFavoriteColor(session, body.favoriteColor);
  }

  /** The original tutorial's route, kept for its frontend. */
  @Get('user/favoriteColor')
  @ApiOperation({ summary: "The tutorial frontend's route: the user's favourite colour" })
  @ApiOkResponse({ type: FavoriteColorDto })
  getFavoriteColor(@Session() session: ClerkSession): Promise<FavoriteColorDto> {
    return this.me.getFavoriteColor(session);
  }
}
