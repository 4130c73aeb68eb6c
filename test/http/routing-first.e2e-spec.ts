import { ClerkTestBed } from '../support/clerk-test-bed';
import { dumpDatabase } from '../support/database';
import { request } from '../support/http';
import { mintToken, sessionClaims } from '../support/tokens';
import { clerkUser, nestedJson, signedDelivery, userEvent } from '../support/payloads';

/**
 * A request is routed before its body is read: a path with no route is a 404 whatever its body
 * (too wide, too deep, too large, not JSON), so a webhook endpoint set to a wrong URL shows Svix a
 * 404 that names the right path; and a body of another type than JSON is a 415 that says which.
 */
const bed = ClerkTestBed.use('routing_first');
const { key, secret, clerk } = bed;

const wideObject = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, i]));

describe('a path with no route is 404 whatever its body', () => {
  it('a signed Clerk event with many keys POSTed to /webhook/clerk and to / is 404, naming the webhook route, and stores nothing', async () => {
    const user = clerkUser({ extra: { public_metadata: wideObject(100) } });
    const delivery = signedDelivery(secret, userEvent('user.created', user));
    for (const path of ['/webhook/clerk', '/webhooks/clerk/', '/']) {
      const response = await request(`${bed.app.url}${path}`, {
        method: 'POST',
        headers: delivery.headers,
        body: delivery.body,
      });
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
      expect(response.body.error).toBe('Not Found');
    }
    const wrong = await request(`${bed.app.url}/webhook/clerk`, {
      method: 'POST',
      headers: delivery.headers,
      body: delivery.body,
    });
    expect(wrong.body.message).toBe("Cannot POST /webhook/clerk (Clerk's webhooks are POST /webhooks/clerk)");
    expect(await dumpDatabase(bed.app.dbUri)).not.toHaveProperty('users');
  });

  it.each([
    ['wider than any limit', JSON.stringify(wideObject(40_000))],
    ['deeper than any limit', nestedJson(200, 'objects')],
    ['over 1 MiB', JSON.stringify({ padding: 'x'.repeat(1_200_000) })],
    ['not JSON', '{"type": "user.created",'],
  ])('a JSON body %s is 404 on a path with no route, or a method its path does not take', async (_what, body) => {
    const headers = { 'content-type': 'application/json' };
    for (const [method, path] of [
      ['POST', '/nowhere?token=secret'],
      ['PUT', '/me'],
      ['DELETE', '/webhooks/clerk'],
    ]) {
      const response = await request(`${bed.app.url}${path}`, { method, headers, body });
      expect({ method, path, status: response.status }).toEqual({ method, path, status: 404 });
      expect(response.body.message).not.toContain('secret');
    }
  });
});

describe('415 names application/json', () => {
  it('PATCH /me with a body of another content type is 415 saying to send application/json, and changes nothing', async () => {
    const user = clerkUser();
    clerk.putUser(user);
    const authorization = `Bearer ${mintToken(key, sessionClaims(user.id))}`;
    const before = await request(`${bed.app.url}/me`, { headers: { authorization } });
    expect(before.status).toBe(200);
    const other = before.body.profile.favoriteColor === 'RED' ? 'GREEN' : 'RED';
    for (const contentType of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded']) {
      const response = await request(`${bed.app.url}/me`, {
        method: 'PATCH',
        headers: { authorization, 'content-type': contentType },
        body: JSON.stringify({ favoriteColor: other }),
      });
      expect(response.status).toBe(415);
      expect(response.body).toMatchObject({ statusCode: 415, error: 'Unsupported Media Type' });
      expect(response.body.message).toContain('application/json');
    }
    const after = await request(`${bed.app.url}/me`, { headers: { authorization } });
    expect(after.body.profile.favoriteColor).toBe(before.body.profile.favoriteColor);
  });
});
