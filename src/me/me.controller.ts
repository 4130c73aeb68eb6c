import { Body, Controller, Get, Patch, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import type { ClerkSession } from '../auth/session.decorator';
import { Session } from '../auth/session.decorator';
import { FavoriteColorDto, MeDto, UpdateMeDto } from './me.dto';
import { MeService } from './me.service';
import { PATCH_ME_LIMIT, PerUserThrottlerGuard } from './per-user-throttler.guard';

@ApiTags('me')
@ApiBearerAuth()
@ApiResponse({ status: 401, description: 'No token, bad signature, expired, not yet valid, azp not allowed' })
@ApiResponse({ status: 404, description: 'Clerk has no such user, or the user was deleted' })
@ApiResponse({ status: 503, description: 'Clerk or the database is unavailable' })
@Controller()
export class MeController {
  constructor(private readonly me: MeService) {}

  @Get('me')
  @ApiOperation({ summary: 'The signed-in session joined to the stored profile' })
  @ApiOkResponse({ type: MeDto })
  getMe(@Session() session: ClerkSession): Promise<MeDto> {
    return this.me.getMe(session);
  }

  @Patch('me')
  @UseGuards(PerUserThrottlerGuard)
  @Throttle({ default: PATCH_ME_LIMIT })
  @ApiOperation({ summary: 'Change app-owned fields (the favourite colour)' })
  @ApiOkResponse({ type: MeDto })
  @ApiResponse({ status: 400, description: 'A bad value or a field that is not writable here' })
  @ApiResponse({ status: 429, description: 'Too many changes for this user' })
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
