import { Body, Controller, Get, Injectable, Patch, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Throttle, ThrottlerGuard } from '@nestjs/throttler';
import type { AuthenticatedRequest, ClerkSession } from '../auth/session.decorator';
import { Session } from '../auth/session.decorator';
import { FavoriteColorDto, MeDto, UpdateMeDto } from './me.dto';
import { MeService } from './me.service';

/** PATCH /me is limited per signed-in user, not per IP (users share NATs). */
export const PATCH_ME_LIMIT = { limit: 60, ttl: 60_000 };

@Injectable()
class PerUserThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(request: AuthenticatedRequest & { ip?: string }): Promise<string> {
    return request.clerkSession?.userId ?? request.ip ?? 'anonymous';
  }
}

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
  get(@Session() session: ClerkSession): Promise<MeDto> {
    return this.me.me(session);
  }

  @Patch('me')
  @UseGuards(PerUserThrottlerGuard)
  @Throttle({ default: PATCH_ME_LIMIT })
  @ApiOperation({ summary: 'Change app-owned fields (the favourite colour)' })
  @ApiOkResponse({ type: MeDto })
  @ApiResponse({ status: 400, description: 'A bad value or a field that is not writable here' })
  @ApiResponse({ status: 429, description: 'Too many changes for this user' })
  update(@Session() session: ClerkSession, @Body() body: UpdateMeDto): Promise<MeDto> {
    return this.me.setFavoriteColor(session, body.favoriteColor);
  }

  /** The original tutorial's route, kept for its frontend. */
  @Get('user/favoriteColor')
  @ApiOperation({ summary: "The tutorial frontend's route: the user's favourite colour" })
  @ApiOkResponse({ type: FavoriteColorDto })
  async favoriteColor(@Session() session: ClerkSession): Promise<FavoriteColorDto> {
    const { favoriteColor } = await this.me.profile(session.userId);
    return { payload: favoriteColor!, message: `Your favorite color is ${favoriteColor}` };
  }
}
