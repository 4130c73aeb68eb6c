import { OrganizationSwitcher, Show, SignInButton, UserButton, useAuth } from '@clerk/react';
import { FormEvent, useCallback, useEffect, useState } from 'react';
import { FAVORITE_COLORS, FavoriteColor, getMe, Me, setFavoriteColor } from './api';
import { TeamPage } from './TeamPage';

const API_URL = (import.meta.env.VITE_API_URL as string | undefined) ?? 'http://localhost:3000';

/** With a Clerk application: sign in with Clerk, and call the service with Clerk's session token. */
export function App() {
  const { getToken } = useAuth();
  return (
    <main>
      <h1>clerk-user-sync</h1>
      <Show when="signed-out">
        <SignInButton />
      </Show>
      <Show when="signed-in">
        <UserButton />
        {/* getToken() returns Clerk's current session token, refreshed by Clerk before it expires. */}
        <Profile getToken={getToken} />
        {/* The active organization (Clerk's switcher chooses it) and its members. */}
        <OrganizationSwitcher />
        <TeamPage apiUrl={API_URL} />
      </Show>
    </main>
  );
}

/** Where the token of the local mode is kept for this tab, so that a reload keeps it. */
const DEV_TOKEN_KEY = 'clerk-user-sync:dev-token';

/**
 * Without a Clerk account: a token that `npm run dev:token` printed, from VITE_DEV_TOKEN or pasted
 * here, against a local service set up by `npm run dev:setup`.
 */
export function DevTokenApp() {
  const [token, setToken] = useState(
    () => (import.meta.env.VITE_DEV_TOKEN as string | undefined) || sessionStorage.getItem(DEV_TOKEN_KEY) || '',
  );
  const getToken = useCallback(async () => token, [token]);
  const takePasted = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const pasted = String(new FormData(event.currentTarget).get('token') ?? '').trim();
    sessionStorage.setItem(DEV_TOKEN_KEY, pasted);
    setToken(pasted);
  };
  const forget = () => {
    sessionStorage.removeItem(DEV_TOKEN_KEY);
    setToken('');
  };
  return (
    <main>
      <h1>clerk-user-sync (local tokens, no Clerk account)</h1>
      {token ? (
        <>
          <button onClick={forget}>Use another token</button>
          <Profile getToken={getToken} />
        </>
      ) : (
        <form onSubmit={takePasted}>
          <label>
            Paste the output of <code>npm run -s dev:token -- --user-id user_local_1</code>:
            <textarea name="token" rows={4} cols={80} required />
          </label>
          <button type="submit">Use this token</button>
        </form>
      )}
    </main>
  );
}

/** GET /me with the session token, and PATCH /me to change the colour. */
function Profile({ getToken }: { getToken: () => Promise<string | null> }) {
  const [me, setMe] = useState<Me>();
  const [error, setError] = useState<string>();

  const withToken = async (call: (token: string) => Promise<Me>) => {
    try {
      const token = await getToken();
      if (!token) throw new Error('Not signed in');
      setMe(await call(token));
      setError(undefined);
    } catch (caught) {
      setError((caught as Error).message);
    }
  };

  useEffect(() => {
    void withToken((token) => getMe(API_URL, token));
    // Once per sign-in (or pasted token): getToken is stable for a session.
  }, [getToken]);

  if (error) return <p role="alert">{error}</p>;
  if (!me) return <p>Loading…</p>;
  return (
    <section>
      <p>
        Signed in as <strong>{me.profile.email ?? me.userId}</strong>
        {me.organizations.length > 0 && ` (${me.organizations.map((org) => `${org.name}: ${org.role}`).join(', ')})`}
      </p>
      <p>
        Favourite colour:{' '}
        <strong style={{ color: me.profile.favoriteColor.toLowerCase() }}>{me.profile.favoriteColor}</strong>
      </p>
      {FAVORITE_COLORS.map((color: FavoriteColor) => (
        <button
          key={color}
          disabled={color === me.profile.favoriteColor}
          onClick={() => void withToken((token) => setFavoriteColor(API_URL, token, color))}
        >
          {color}
        </button>
      ))}
    </section>
  );
}
