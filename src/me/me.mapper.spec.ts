import type { User } from '../users/user.schema';
import { toFavoriteColorDto, toMeDto } from './me.mapper';

const stored = (overrides: Partial<User> = {}): User => ({
  _id: 'user_1',
  email: 'ada@example.test',
  firstName: 'Ada',
  lastName: null,
  favoriteColor: 'GREEN',
  clerkUpdatedAt: 1_700_000_000_000,
  writtenBy: 'msg_1',
  createdAt: new Date('2026-01-02T03:04:05.000Z'),
  updatedAt: new Date('2026-01-03T03:04:05.000Z'),
  ...overrides,
});

describe('toMeDto', () => {
  it('joins the session to the profile, with null for what Clerk does not have and no internal fields', () => {
    const dto = toMeDto({ userId: 'user_1', sessionId: 'sess_1', orgId: null }, stored());
    expect(dto).toEqual({
      userId: 'user_1',
      sessionId: 'sess_1',
      orgId: null,
      profile: {
        id: 'user_1',
        email: 'ada@example.test',
        firstName: 'Ada',
        lastName: null,
        username: null,
        imageUrl: null,
        favoriteColor: 'GREEN',
        createdAt: '2026-01-02T03:04:05.000Z',
        updatedAt: '2026-01-03T03:04:05.000Z',
      },
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
