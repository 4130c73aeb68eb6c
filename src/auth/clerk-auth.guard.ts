import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequestLog } from '../http/request-log';
import { AuthService } from './auth.service';
import { IS_PUBLIC } from './public.decorator';
import type { AuthenticatedRequest } from './clerk-session';
import { AUTH_REASON_HEADER, SessionRefusedException } from './session-refusal';

/** Clerk's session cookie, for same-site frontends that send no Authorization header. */
const SESSION_COOKIE = '__session';

@Injectable()
export class ClerkAuthGuard implements CanActivate {
  private readonly logger = new Logger(ClerkAuthGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly requestLog: RequestLog,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & AuthenticatedRequest>();
    try {
      request.clerkSession = await this.auth.verifySessionToken(sessionToken(request));
    } catch (error) {
      if (error instanceof SessionRefusedException) this.refuse(http.getResponse<FastifyReply>(), error);
      throw error;
    }
    return true;
  }

  /** Every 401 names Clerk's reason in its header, and in the request's log line with what may be shown (never the token). */
  private refuse(reply: FastifyReply, { reason, detail }: SessionRefusedException): void {
    reply.header(AUTH_REASON_HEADER, reason);
    this.requestLog.record(this.logger, 'log', { reason: detail ? `${reason}: ${detail}` : reason }, 'Session refused');
  }
}

/** The token of `Authorization: Bearer <token>`, else of the session cookie. */
function sessionToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined || header === '') return request.cookies?.[SESSION_COOKIE] ?? undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match)
    throw new SessionRefusedException(
      'token-invalid',
      'the Authorization header is not "Bearer <token>"',
      'The Authorization header must be "Bearer <session token>"',
    );
  return match[1];
}
