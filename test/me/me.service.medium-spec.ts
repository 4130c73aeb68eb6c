import { NotFoundException } from '@nestjs/common';
import type { ClerkSession } from '../../src/auth/clerk-session';
import { toClerkMembershipSnapshot } from '../../src/clerk/clerk-organization.schema';
import { toClerkUserSnapshot } from '../../src/clerk/clerk-user.schema';
import { RetryLaterException } from '../../src/http/retry-later.exception';
import { MeModule } from '../../src/me/me.module';
import { MeService } from '../../src/me/me.service';
import { OrganizationsSyncService } from '../../src/organizations/organizations-sync.service';
import { UsersRepository } from '../../src/users/users.repository';
import { storedUser } from '../support/database';
import { MediumBed } from '../support/medium';
import { clerkMembership, clerkOrganization, clerkUser, newUserId } from '../support/payloads';

/**
 * MeService as Nest builds it, on a real database, with Clerk's Backend API the loopback
 * stand-in: the stored profile, the lazy sync of a user never stored, and Clerk's failures as
 * the HTTP errors the filter answers.
 */
const bed = MediumBed.use('me-service', [MeModule]);
const me = () => bed.get(MeService);
const sessionOf = (userId: string): ClerkSession => ({ userId, sessionId: 'sess_medium', orgId: null });
const store = (user: ReturnType<typeof clerkUser>) =>
  bed.get(UsersRepository).syncVersion(toClerkUserSnapshot(user), 'arranged');

describe('MeService', () => {
  it('serves a stored user without calling Clerk, with the organizations it belongs to', async () => {
    const user = clerkUser({ firstName: 'Ada' });
    await store(user);
    const organization = clerkOrganization({ name: 'Analytical Engines' });
    await bed
      .get(OrganizationsSyncService)
      .syncMembership(toClerkMembershipSnapshot(clerkMembership({ userId: user.id, organization })), 'arranged');
    const calls = bed.clerk.calls.getUser;
    const answer = await me().getMe(sessionOf(user.id));
    expect(answer).toMatchObject({
      userId: user.id,
      sessionId: 'sess_medium',
      profile: { id: user.id, firstName: 'Ada' },
      organizations: [{ id: organization.id, name: 'Analytical Engines', role: 'org:member' }],
    });
    expect(bed.clerk.calls.getUser).toBe(calls);
  });

  it('fetches a user never stored from Clerk once, even for concurrent first calls, and stores it', async () => {
    const user = clerkUser({ firstName: 'Grace' });
    bed.clerk.putUser(user);
    const calls = bed.clerk.calls.getUser;
    const answers = await Promise.all([me().getMe(sessionOf(user.id)), me().getFavoriteColor(sessionOf(user.id))]);
    expect(answers[0].profile.firstName).toBe('Grace');
    expect(bed.clerk.calls.getUser - calls).toBe(1);
    expect(await storedUser(bed.dbUri, user.id)).toMatchObject({ firstName: 'Grace', writers: ['lazy-sync'] });
  });

  it('a user Clerk does not have: NotFoundException, nothing stored', async () => {
    const id = newUserId();
    await expect(me().getMe(sessionOf(id))).rejects.toBeInstanceOf(NotFoundException);
    expect(await storedUser(bed.dbUri, id)).toBeNull();
  });

  it("Clerk's rate limit: a 503 RetryLaterException carrying Clerk's Retry-After", async () => {
    bed.clerk.failures.push({ status: 429, retryAfter: 7 });
    const error = await me()
      .getMe(sessionOf(newUserId()))
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(RetryLaterException);
    expect(error).toMatchObject({ retryAfterSeconds: 7 });
  });

  it('sets the colour of a stored user; a user deleted here stays not found', async () => {
    const user = clerkUser();
    await store(user);
    const calls = bed.clerk.calls.getUser;
    expect((await me().setFavoriteColor(sessionOf(user.id), 'GREEN')).profile.favoriteColor).toBe('GREEN');
    await bed.get(UsersRepository).tombstone(user.id, 'arranged');
    await expect(me().setFavoriteColor(sessionOf(user.id), 'BLUE')).rejects.toBeInstanceOf(NotFoundException);
    expect(bed.clerk.calls.getUser).toBe(calls);
  });
});
