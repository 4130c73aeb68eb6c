import { createParamDecorator, ExecutionContext } from '@nestjs/common';

/** The verified Clerk session of a request. */
export interface ClerkSession {
  userId: string;
  sessionId: string | null;
  orgId: string | null;
}

export interface AuthenticatedRequest {
  clerkSession?: ClerkSession;
}

/** Hands the session the guard verified to a handler. */
export const Session = createParamDecorator(
  (_: unknown, context: ExecutionContext): ClerkSession =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().clerkSession!,
);
