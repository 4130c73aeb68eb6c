import type { User } from '../users/user.schema';
import { toFavoriteColorDto, toMeDto } from './me.mapper';

const stored = (overrides: Partial<User> = {}): User => ({
  _id: 'user_1',
  email: 'ada@example.test',
  firstName: 'Ada',
  lastName: null,
  favoriteColor: 'GREEN',
  clerkCreatedAt: new Date('2023-11-14T22:13:20.000Z'),
  clerkUpdatedAt: 1_700_000_000_000,
  writtenBy: 'msg_1',
  createdAt: new Date('2026-01-02T03:04:05.000Z'),
  updatedAt: new Date('2026-01-03T03:04:05.000Z'),
  ...overrides,
});

describe('toMeDto', () => {
  it('joins the session to the profile, with null for what Clerk does not have and no internal fields', () => {
    const dto = toMeDto({ userId: 'user_1', sessionId: 'sess_1', orgId: null }, stored(), []);
    expect(dto).toEqual({
      userId: 'user_1',
      sessionId: 'sess_1',
      orgId: null,
      profile: {
        id: 'user_1',
        email: 'ada@example.test',
        phoneNumber: null,
        firstName: 'Ada',
        lastName: null,
        username: null,
        imageUrl: null,
        externalId: null,
        publicMetadata: {},
        lastSignInAt: null,
        favoriteColor: 'GREEN',
        createdAt: '2023-11-14T22:13:20.000Z',
        updatedAt: '2023-11-14T22:13:20.000Z',
        syncedAt: '2026-01-03T03:04:05.000Z',
      },
      organizations: [],
      organizationsNext: null,
    });
  });

  it('serves public metadata and organizations, never private metadata', () => {
    const user = stored({
      publicMetadataJson: '{"roles":["admin"],"a.b":{"$x":1}}',
      privateMetadataJson: '{"secret":"s3cr3t"}',
      lastSignInAt: new Date('2026-02-01T00:00:00.000Z'),
    });
    const organization = { _id: 'org_1', name: 'Acme', slug: 'acme', createdAt: new Date(), updatedAt: new Date() };
    const dto = toMeDto({ userId: 'user_1', sessionId: null, orgId: 'org_1' }, user, [
      { organization, role: 'org:admin', permissions: ['org:sys_memberships:read'] },
    ]);
    expect(dto.profile).toMatchObject({
      publicMetadata: { roles: ['admin'], 'a.b': { $x: 1 } },
      lastSignInAt: '2026-02-01T00:00:00.000Z',
    });
    expect(dto.organizations).toEqual([
      {
        id: 'org_1',
        name: 'Acme',
        slug: 'acme',
        imageUrl: null,
        role: 'org:admin',
        permissions: ['org:sys_memberships:read'],
      },
    ]);
    expect(dto.organizationsNext).toBeNull();
    expect(JSON.stringify(dto)).not.toContain('s3cr3t');
  });

  it("serves Clerk's created_at and updated_at as createdAt and updatedAt, and our last write as syncedAt", () => {
    const user = stored({ clerkCreatedAt: new Date(1_600_000_000_000), clerkUpdatedAt: 1_650_000_000_123 });
    expect(toMeDto({ userId: 'user_1', sessionId: null, orgId: null }, user, []).profile).toMatchObject({
      createdAt: '2020-09-13T12:26:40.000Z',
      updatedAt: '2022-04-15T05:20:00.123Z',
      syncedAt: '2026-01-03T03:04:05.000Z',
    });
  });

  it('falls back to our own first and last writes for a user stored without Clerk times', () => {
    const user = stored({ clerkCreatedAt: null, clerkUpdatedAt: undefined });
    expect(toMeDto({ userId: 'user_1', sessionId: null, orgId: null }, user, []).profile).toMatchObject({
      createdAt: '2026-01-02T03:04:05.000Z',
      updatedAt: '2026-01-03T03:04:05.000Z',
      syncedAt: '2026-01-03T03:04:05.000Z',
    });
  });
});

describe('toFavoriteColorDto', () => {
  it('answers as the tutorial frontend expects', () => {
    expect(toFavoriteColorDto(stored({ favoriteColor: 'RED' }))).toEqual({
      payload: 'RED',
      message: 'Your favorite color is RED',
    });
  });
});
