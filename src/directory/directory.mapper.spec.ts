import type { MemberEntry } from '../organizations/memberships.repository';
import type { DirectoryEntry } from '../users/users.repository';
import { toMemberDto, toPublicProfileDto } from './directory.mapper';

const membership = (overrides: Partial<MemberEntry> = {}): MemberEntry => ({
  _id: 'orgmem_1',
  userId: 'user_1',
  role: 'org:member',
  clerkCreatedAt: new Date('2026-01-02T03:04:05.000Z'),
  createdAt: new Date('2026-02-01T00:00:00.000Z'),
  publicUserData: {
    firstName: 'Shown',
    lastName: 'ByClerk',
    username: 'shown',
    imageUrl: 'https://img.clerk.com/shown.png',
    identifier: 'shown@example.test',
  },
  ...overrides,
});

const user = (overrides: Partial<DirectoryEntry> = {}): DirectoryEntry => ({
  _id: 'user_1',
  firstName: 'Ada',
  lastName: 'Lovelace',
  username: 'ada',
  imageUrl: 'https://img.clerk.com/ada.png',
  email: 'ada@example.test',
  phoneNumber: '+15555550100',
  deletedAt: null,
  ...overrides,
});

describe('toMemberDto', () => {
  it("shows the synced user's names, image and primary email, with the membership's role and date", () => {
    expect(toMemberDto(membership(), user())).toEqual({
      userId: 'user_1',
      firstName: 'Ada',
      lastName: 'Lovelace',
      username: 'ada',
      imageUrl: 'https://img.clerk.com/ada.png',
      identifier: 'ada@example.test',
      role: 'org:member',
      joinedAt: '2026-01-02T03:04:05.000Z',
    });
  });

  it.each([
    ['the email', user(), 'ada@example.test'],
    ['the phone without an email', user({ email: null }), '+15555550100'],
    ['the username without email or phone', user({ email: null, phoneNumber: null }), 'ada'],
    [
      "Clerk's identifier without any of them",
      user({ email: null, phoneNumber: null, username: null }),
      'shown@example.test',
    ],
  ])('identifies the member by %s', (_case, stored, identifier) => {
    expect(toMemberDto(membership(), stored).identifier).toBe(identifier);
  });

  it('shows what Clerk sent with the membership while the user has not arrived, null where it sent nothing', () => {
    expect(toMemberDto(membership(), undefined)).toMatchObject({
      firstName: 'Shown',
      lastName: 'ByClerk',
      username: 'shown',
      imageUrl: 'https://img.clerk.com/shown.png',
      identifier: 'shown@example.test',
    });
    expect(toMemberDto(membership({ publicUserData: undefined, clerkCreatedAt: null }), undefined)).toEqual({
      userId: 'user_1',
      firstName: null,
      lastName: null,
      username: null,
      imageUrl: null,
      identifier: '',
      role: 'org:member',
      joinedAt: '2026-02-01T00:00:00.000Z',
    });
  });
});

describe('toPublicProfileDto', () => {
  it('has exactly the five public fields', () => {
    expect(toPublicProfileDto(user({ lastName: undefined }))).toEqual({
      id: 'user_1',
      firstName: 'Ada',
      lastName: null,
      username: 'ada',
      imageUrl: 'https://img.clerk.com/ada.png',
    });
  });
});
