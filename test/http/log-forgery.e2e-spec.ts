import { randomBytes } from 'node:crypto';
import { ClerkTestBed } from '../support/clerk-test-bed';
import { waitForOutput } from '../support/service-process';
import { mintToken, sessionClaims } from '../support/tokens';

/**
 * Pretty logs cannot be forged: a value from outside (an event type, a kid, an SDK message) that
 * holds a newline is written escaped on its own line, never as a line of its own. JSON logs escape
 * by themselves (log-format.e2e-spec.ts).
 */
const bed = ClerkTestBed.use(
  'log_forgery',
  { LOG_FORMAT: 'pretty', LOG_LEVEL: 'debug', CLERK_JWT_KEY: '' },
  { process: true },
);
const FORGED = '[00:00:00.000] INFO: [Webhook] POST /webhooks/clerk 200 1ms user.deleted user_admin applied';
beforeAll(() => {
  bed.clerk.jwks = [bed.key.jwk];
});

const forgedLines = () =>
  bed.service
    .stdout()
    .split('\n')
    .filter((line) => line.startsWith(FORGED.slice(0, 20)));

it('an event type with a newline and an ANSI escape stays on its line, escaped', async () => {
  const mark = randomBytes(4).toString('hex');
  const type = `${mark}.created\n${FORGED}\u001b[2K`;
  expect(await bed.outcomeOf({ type, data: {}, object: 'event', timestamp: Date.now() })).toBe('ignored');
  await waitForOutput(bed.service, new RegExp(`${mark}\\.created\\\\n`));
  expect(forgedLines()).toEqual([]);
  expect(bed.service.stdout()).not.toContain('\u001b[2K');
});

it('a kid with a newline, echoed in the refusal, stays on its line', async () => {
  const kid = `ins_x\n${FORGED}`;
  const response = await bed.getMe(mintToken({ ...bed.key, kid }, sessionClaims('user_forgery')));
  expect(response.status).toBe(401);
  await waitForOutput(bed.service, /jwk-kid-mismatch/);
  expect(forgedLines()).toEqual([]);
});
