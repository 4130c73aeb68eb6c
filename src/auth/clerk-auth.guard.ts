import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AuthService } from './auth.service';
import { IS_PUBLIC } from './public.decorator';
import type { AuthenticatedRequest } from './clerk-session';

/** Clerk's session cookie, for same-site frontends that send no Authorization header. */
const SESSION_COOKIE = '__session';

@Injectable()
export class ClerkAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest & AuthenticatedRequest>();
    request.clerkSession = await this.auth.verifySessionToken(sessionToken(request));
    return true;
  }
}

/** The token of `Authorization: Bearer <token>`, else of the session cookie. */
function sessionToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined || header === '') return request.cookies?.[SESSION_COOKIE] ?? undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new UnauthorizedException('The Authorization header must be "Bearer <session token>"');
  return match[1];
}
