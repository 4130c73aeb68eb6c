// The two calls a frontend makes to clerk-user-sync, with the session token Clerk gives it.
// Plain fetch: the same code works in any framework (see docs/frontend.md).

export type FavoriteColor = 'RED' | 'GREEN' | 'BLUE';
export const FAVORITE_COLORS: FavoriteColor[] = ['RED', 'GREEN', 'BLUE'];

/** GET /me's answer (docs/reference.md), the parts this page shows. */
export interface Me {
  userId: string;
  sessionId: string | null;
  orgId: string | null;
  profile: {
    id: string;
    email: string | null;
    firstName: string | null;
    lastName: string | null;
    imageUrl: string | null;
    favoriteColor: FavoriteColor;
    createdAt: string;
  };
  organizations: { id: string; name: string; role: string }[];
}

/** An error answer: `{statusCode, error, message}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function callMe(apiUrl: string, token: string, init: RequestInit = {}): Promise<Me> {
  const response = await fetch(`${apiUrl}/me`, {
    ...init,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(init.body ? { 'Content-Type': 'application/json' } : {}),
    },
  });
  const body = await response.json();
  if (!response.ok) throw new ApiError(response.status, body.message ?? response.statusText);
  return body as Me;
}

/** The signed-in user's stored profile and organizations. */
export const getMe = (apiUrl: string, token: string): Promise<Me> => callMe(apiUrl, token);

/** Changes the app-owned favourite colour; answers like getMe. */
export const setFavoriteColor = (apiUrl: string, token: string, favoriteColor: FavoriteColor): Promise<Me> =>
  callMe(apiUrl, token, { method: 'PATCH', body: JSON.stringify({ favoriteColor }) });
