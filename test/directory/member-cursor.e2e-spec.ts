import { ClerkTestBed } from '../support/clerk-test-bed';
import { Directory, ROLES } from '../support/directory';
import { clerkMembership, newUserId } from '../support/payloads';

/**
 * The member list's cursor: a walk of the pages lists every member present for the whole walk
 * exactly once, whoever joins or leaves between pages; a cursor the service did not give is 400.
 */
const bed = ClerkTestBed.use('directory_cursor');
const directory = new Directory(bed);
jest.setTimeout(180_000);

/** A small seeded generator (mulberry32): a failing walk can be replayed from its seed. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('a walk of the pages', () => {
  it.each([1, 2, 3, 4, 5])('with random joins and leaves between pages (seed %i)', async (seed) => {
    const next = random(seed);
    const organization = await directory.organization();
    const reader = await directory.user();
    const base = 1_700_000_000_000;
    await directory.join(organization, reader.id, { ...ROLES.admin, createdAt: base });
    // Some members share a creation time: the id breaks ties.
    const present = new Map<string, Awaited<ReturnType<typeof directory.join>>>();
    for (let i = 0; i < 30; i++) {
      const membership = await directory.join(organization, newUserId(), {
        ...ROLES.member,
        createdAt: base + Math.floor(next() * 10) * 1000,
      });
      present.set(membership.public_user_data.user_id, membership);
    }
    const stayed = new Set([reader.id, ...present.keys()]);
    const everMember = new Set(stayed);
    const seen = await directory.walkMembers(reader.id, organization.id, 1 + Math.floor(next() * 7), async () => {
      for (let change = 0; change < 3; change++) {
        if (next() < 0.5 && present.size) {
          const ids = [...present.keys()];
          const id = ids[Math.floor(next() * ids.length)];
          await directory.leave(present.get(id)!);
          present.delete(id);
          stayed.delete(id);
        } else {
          // Joined now, or with a creation time anywhere in the list (an earlier date than the cursor's).
          const membership = await directory.join(organization, newUserId(), {
            ...ROLES.member,
            createdAt: base + Math.floor(next() * 12) * 1000,
          });
          everMember.add(membership.public_user_data.user_id);
        }
      }
    });
    // Nobody twice; everyone present for the whole walk; nobody who was never a member.
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of stayed) expect(seen).toContain(id);
    for (const id of seen) expect(everMember.has(id)).toBe(true);
  });
});

it('memberships without a creation time (none in the payload) come first, each once, by id', async () => {
  const organization = await directory.organization();
  const reader = await directory.user();
  await directory.join(organization, reader.id, { ...ROLES.admin, createdAt: 1_700_000_000_000 });
  const undated: { id: string; userId: string }[] = [];
  for (let i = 0; i < 3; i++) {
    const membership = { ...clerkMembership({ organization, userId: newUserId(), ...ROLES.member }), created_at: null };
    // Clerk's schema requires created_at; the service accepts a payload without it.
    const event = { type: 'organizationMembership.created', object: 'event', timestamp: Date.now(), data: membership };
    expect(await bed.outcomeOf(event)).toBe('applied');
    undated.push({ id: membership.id, userId: membership.public_user_data.user_id });
  }
  const dated = await directory.join(organization, newUserId(), { ...ROLES.member, createdAt: 1_700_000_001_000 });
  const byId = undated.sort((a, b) => (a.id < b.id ? -1 : 1)).map(({ userId }) => userId);
  expect(await directory.walkMembers(reader.id, organization.id, 1)).toEqual([
    ...byId,
    reader.id,
    dated.public_user_data.user_id,
  ]);
  expect(await directory.walkMembers(reader.id, organization.id, 2)).toEqual([
    ...byId,
    reader.id,
    dated.public_user_data.user_id,
  ]);
});

describe('cursors the service did not give', () => {
  it('are refused with 400, whatever was changed, and for another organization', async () => {
    const organization = await directory.organization();
    const other = await directory.organization();
    const reader = await directory.user();
    await directory.join(organization, reader.id);
    await directory.join(other, reader.id);
    for (let i = 0; i < 3; i++) await directory.join(organization, newUserId(), ROLES.member);
    const first = await directory.get(reader.id, `/organizations/${organization.id}/members?limit=1`);
    const cursor: string = first.body.next;
    const [body, signature] = cursor.split('.');
    const forgedBody = Buffer.from(JSON.stringify({ t: 0, i: 'orgmem_0' })).toString('base64url');
    const injected = Buffer.from(JSON.stringify({ t: { $gt: 0 }, i: { $ne: null } })).toString('base64url');
    const forged = [
      `${forgedBody}.${signature}`,
      `${injected}.${signature}`,
      `${body}.${signature.slice(0, -2)}AA`,
      body,
      'abc',
      JSON.stringify({ t: 0, i: 'orgmem_0' }),
      'x'.repeat(2000),
    ];
    for (const after of forged) {
      const response = await directory.get(
        reader.id,
        `/organizations/${organization.id}/members?after=${encodeURIComponent(after)}`,
      );
      expect(response).toMatchObject({
        status: 400,
        body: { statusCode: 400, error: 'Bad Request', message: expect.stringMatching(/after/) },
      });
    }
    const elsewhere = await directory.get(
      reader.id,
      `/organizations/${other.id}/members?after=${encodeURIComponent(cursor)}`,
    );
    expect(elsewhere.status).toBe(400);
    expect(
      (await directory.get(reader.id, `/organizations/${organization.id}/members?after=${encodeURIComponent(cursor)}`))
        .status,
    ).toBe(200);
  });
});
