import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClerkAnswer, offSchema } from '../support/clerk-schemas';
import { ClerkStandIn } from '../support/clerk-stand-in';
import { request } from '../support/http';
import { clerkMembership, clerkOrganization, clerkUser } from '../support/payloads';

/**
 * The Backend API stand-in behaves like Clerk, and Clerk's description is the judge: every answer
 * it gives is validated (ajv) against the JSON Schemas taken from bapi/2026-05-12.yml, here and in
 * every other test file (the stand-in fails a file whose answers did not match).
 */
const clerk = new ClerkStandIn();
const base = 1_700_000_000_000;
const users = Array.from({ length: 30 }, (_, i) =>
  clerkUser({ createdAt: base + (i % 2 ? 30 - i : i) * 1000, updatedAt: base + 100_000 - i }),
);
const organization = clerkOrganization({ createdAt: base });
const get = (path: string) => request(`${clerk.url}${path}`, { headers: { authorization: 'Bearer sk_test_stand_in' } });
const ids = (body: { id: string }[]) => body.map((user) => user.id);
const byCreation = [...users].sort((a, b) => Number(a.created_at) - Number(b.created_at)).map((user) => user.id);

beforeAll(async () => {
  await clerk.start();
  for (const user of users) clerk.putUser(user);
  clerk.putOrganization(organization);
  clerk.putMembership(clerkMembership({ userId: users[0].id, organization }));
});
afterAll(() => clerk.stop());

describe("Clerk's description judges", () => {
  const example = (type: string) =>
    JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'clerk', 'webhooks', `${type}.json`), 'utf8')).data;

  it.each([
    ['User', 'user.updated'],
    ['Organization', 'organization.updated'],
    ['OrganizationMembership', 'organizationMembership.updated'],
  ] as [ClerkAnswer, string][])("accepts Clerk's own %s (the %s example)", (answer, type) => {
    expect(offSchema(answer, example(type))).toBeUndefined();
  });

  it('refuses what Clerk never answers, naming the field', () => {
    const { banned: _, ...withoutBanned } = clerkUser();
    expect(offSchema('User', withoutBanned)).toMatch(/must have required property 'banned'/);
    expect(offSchema('User', { ...clerkUser(), nickname: 'x' })).toMatch(/must NOT have additional properties/);
    expect(offSchema('Organization', { ...organization, slug: null })).toMatch(/slug must be string/);
    expect(offSchema('ClerkErrors', { errors: [{ code: 'x', message: 'y' }] })).toMatch(/long_message/);
  });

  it('the stand-in keeps an answer off the description, and would fail its file for it', async () => {
    const { banned: _, ...offSchemaUser } = clerkUser();
    clerk.putUser(offSchemaUser);
    expect((await get(`/v1/users/${offSchemaUser.id}`)).status).toBe(200);
    clerk.users.delete(offSchemaUser.id);
    expect(clerk.schemaViolations.splice(0)).toEqual([
      { path: `/v1/users/${offSchemaUser.id}`, status: 200, problem: expect.stringContaining("'banned'") },
    ]);
  });
});

describe("lists, by Clerk's rules", () => {
  it('order_by defaults to -created_at, newest first, and limit to 10', async () => {
    const { status, body } = await get('/v1/users');
    expect(status).toBe(200);
    expect(ids(body)).toEqual([...byCreation].reverse().slice(0, 10));
  });

  it('order_by +created_at and -updated_at are honoured', async () => {
    expect(ids((await get('/v1/users?order_by=%2Bcreated_at&limit=500')).body)).toEqual(byCreation);
    const byUpdate = [...users].sort((a, b) => b.updated_at - a.updated_at).map((user) => user.id);
    expect(ids((await get('/v1/users?order_by=-updated_at&limit=5')).body)).toEqual(byUpdate.slice(0, 5));
  });

  it.each(['0', '501', '-1', 'ten', '2.5'])('limit=%s: 422 with a Clerk error body', async (limit) => {
    const { status, body, headers } = await get(`/v1/users?limit=${limit}`);
    expect(status).toBe(422);
    expect(body).toEqual({
      errors: [
        { code: 'form_param_value_invalid', message: 'form param value invalid', long_message: expect.any(String) },
      ],
      clerk_trace_id: expect.stringMatching(/^stand_in_trace_/),
    });
    expect(headers.get('x-clerk-trace-id')).toBe(body.clerk_trace_id);
  });

  it('limit 1 and 500 are allowed', async () => {
    expect((await get('/v1/users?limit=1')).body).toHaveLength(1);
    expect((await get('/v1/users?limit=500')).body).toHaveLength(30);
  });

  it('starting_after continues after that user in the chosen order; with an offset (even 0) it is a 422', async () => {
    const after = byCreation[9];
    const page = await get(`/v1/users?order_by=%2Bcreated_at&limit=5&starting_after=${after}`);
    expect(ids(page.body)).toEqual(byCreation.slice(10, 15));
    expect((await get(`/v1/users?order_by=%2Bcreated_at&starting_after=${after}&offset=0`)).status).toBe(422);
    expect((await get('/v1/users?starting_after=user_unknown')).status).toBe(422);
  });

  it('offsets past the threshold fail as Clerk’s do: a 5xx after a delay; a cursor that deep still answers', async () => {
    clerk.deepOffsetThreshold = 20;
    clerk.deepOffsetDelayMs = 300;
    try {
      expect((await get('/v1/users?offset=20&limit=5')).status).toBe(200);
      const started = Date.now();
      const deep = await get('/v1/users?offset=25&limit=5');
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      expect(deep.status).toBe(504);
      expect(deep.body.errors[0]).toMatchObject({ code: 'request_timeout', long_message: expect.any(String) });
      const cursor = await get(`/v1/users?order_by=%2Bcreated_at&limit=5&starting_after=${byCreation[24]}`);
      expect(ids(cursor.body)).toEqual(byCreation.slice(25, 30));
    } finally {
      clerk.deepOffsetThreshold = Infinity;
    }
  });

  it('organization and membership lists are {data, total_count}, the count is total_count', async () => {
    expect((await get('/v1/organizations?limit=10&offset=0&order_by=%2Bcreated_at')).body).toEqual({
      data: [organization],
      total_count: 1,
    });
    expect((await get('/v1/organization_memberships?limit=10')).body).toMatchObject({ total_count: 1 });
    expect((await get('/v1/users/count')).body).toEqual({ object: 'total_count', total_count: 30 });
  });

  it('an unknown id is a 404 with a Clerk error body', async () => {
    const { status, body } = await get('/v1/users/user_nobody');
    expect(status).toBe(404);
    expect(body.errors[0]).toMatchObject({ code: 'resource_not_found', long_message: expect.any(String) });
  });

  it('validated every answer it gave against the description, and none was off it', () => {
    expect(clerk.answersChecked).toBeGreaterThanOrEqual(20);
    expect(clerk.schemaViolations).toEqual([]);
  });
});
