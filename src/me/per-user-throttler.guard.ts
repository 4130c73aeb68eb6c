import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { AuthenticatedRequest } from '../auth/clerk-session';

/** PATCH /me is limited per signed-in user, not per IP (users share NATs). */
export const PATCH_ME_LIMIT = { limit: 60, ttl: 60_000 };

@Injectable()
export class PerUserThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(request: AuthenticatedRequest & { ip?: string }): Promise<string> {
    return request.clerkSession?.userId ?? request.ip ?? 'anonymous';
  }
}
