// The calls a frontend makes to clerk-user-sync, with the session token Clerk gives it.
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
  organizations: { id: string; name: string; role: string; permissions: string[] }[];
  organizationsNext: string | null;
}

/** One entry of GET /organizations/{orgId}/members. */
export interface Member {
  userId: string;
  firstName: string | null;
  lastName: string | null;
  username: string | null;
  imageUrl: string | null;
  identifier: string;
  role: string;
  joinedAt: string;
}

/** A page of members; `next` is the cursor of the following page, null on the last. */
export interface MemberPage {
  data: Member[];
  next: string | null;
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

async function call<T>(url: string, token: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(url, {
    ...init,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(init.body ? { 'Content-Type': 'application/json' } : {}),
    },
  });
  const body = await response.json();
  if (!response.ok) throw new ApiError(response.status, body.message ?? response.statusText);
  return body as T;
}

const callMe = (apiUrl: string, token: string, init: RequestInit = {}) => call<Me>(`${apiUrl}/me`, token, init);

/** The signed-in user's stored profile and organizations. */
export const getMe = (apiUrl: string, token: string): Promise<Me> => callMe(apiUrl, token);

/** Changes the app-owned favourite colour; answers like getMe. */
export const setFavoriteColor = (apiUrl: string, token: string, favoriteColor: FavoriteColor): Promise<Me> =>
  callMe(apiUrl, token, { method: 'PATCH', body: JSON.stringify({ favoriteColor }) });

/** A page of the organization's members (needs Clerk's org:sys_memberships:read, as Clerk's own list does). */
export function getMembers(apiUrl: string, token: string, orgId: string, after?: string | null): Promise<MemberPage> {
  const query = new URLSearchParams({ limit: '20' });
  if (after) query.set('after', after);
  return call<MemberPage>(`${apiUrl}/organizations/${encodeURIComponent(orgId)}/members?${query}`, token);
}
