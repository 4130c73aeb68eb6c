import { Show, SignInButton, UserButton, useAuth } from '@clerk/react';
import { useEffect, useState } from 'react';
import { FAVORITE_COLORS, FavoriteColor, getMe, Me, setFavoriteColor } from './api';

const API_URL = (import.meta.env.VITE_API_URL as string | undefined) ?? 'http://localhost:3000';

export function App() {
  return (
    <main>
      <h1>clerk-user-sync</h1>
      <Show when="signed-out">
        <SignInButton />
      </Show>
      <Show when="signed-in">
        <UserButton />
        <Profile />
      </Show>
    </main>
  );
}

/** GET /me with the session token, and PATCH /me to change the colour. */
function Profile() {
  const { getToken } = useAuth();
  const [me, setMe] = useState<Me>();
  const [error, setError] = useState<string>();

  // getToken() returns Clerk's current session token, refreshed by Clerk before it expires.
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
    // Once per sign-in: getToken is stable for a session.
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
