import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { AuthenticatedRequest, ClerkSession } from './clerk-session';

/** Hands the session the guard verified to a handler. */
export const Session = createParamDecorator(
  (_: unknown, context: ExecutionContext): ClerkSession =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().clerkSession!,
);
