import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AuthService } from './auth.service';
import { IS_PUBLIC } from './public.decorator';
import type { AuthenticatedRequest } from './session.decorator';

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

function sessionToken(request: FastifyRequest): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match?.[1] ?? request.cookies?.[SESSION_COOKIE] ?? undefined;
}
