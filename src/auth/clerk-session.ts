/** The verified Clerk session of a request: what the guard verified, what /me's handlers act for. */
export interface ClerkSession {
  userId: string;
  sessionId: string | null;
  orgId: string | null;
}

/** A request the guard let through carries its session. */
export interface AuthenticatedRequest {
  clerkSession?: ClerkSession;
}
