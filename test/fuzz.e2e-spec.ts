import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startTestApp, TestApp } from './support/app';
import { ClerkStandIn } from './support/clerk-stand-in';
import { findOutsideTool, SCHEMATHESIS } from './support/outside-tools';
import { createSigningKey, mintToken, sessionClaims } from './support/tokens';
import { clerkUser, newWebhookSecret } from './support/webhooks';

/**
 * Schemathesis generates requests from the service's own OpenAPI document (/docs/json), valid
 * and invalid, signed in as a real user: none may get a 5xx.
 */
const schemathesisPath = findOutsideTool(SCHEMATHESIS, 'test/fuzz.e2e-spec.ts');
const key = createSigningKey();
const clerk = new ClerkStandIn();
let t: TestApp;
jest.setTimeout(240_000);

const describeWithSchemathesis = schemathesisPath ? describe : describe.skip;

describeWithSchemathesis('schemathesis fuzzing of the OpenAPI document', () => {
  beforeAll(async () => {
    await clerk.start();
    t = await startTestApp('fuzz', {
      CLERK_JWT_KEY: key.publicKeyPem,
      CLERK_SECRET_KEY: 'sk_test_stand_in',
      CLERK_API_URL: clerk.url,
      CLERK_WEBHOOK_SIGNING_SECRET: newWebhookSecret(),
    });
  });
  afterAll(async () => {
    await t?.close();
    await clerk.stop();
  });

  it('no generated request gets a 5xx', async () => {
    const user = clerkUser();
    clerk.putUser(user);
    const token = mintToken(key, sessionClaims(user.id, { exp: Math.floor(Date.now() / 1000) + 600 }));
    const run = await promisify(execFile)(
      schemathesisPath!,
      [
        'run',
        `${t.url}/docs/json`,
        '--checks',
        'not_a_server_error',
        '--phases',
        'examples,coverage,fuzzing',
        '--max-examples',
        '150',
        '--max-time',
        '45',
        '--workers',
        '2',
        '--seed',
        '20261124',
        '--header',
        `Authorization: Bearer ${token}`,
        '--request-timeout',
        '10',
      ],
      { env: { ...process.env, NO_COLOR: '1', SCHEMATHESIS_TELEMETRY: 'false' }, maxBuffer: 64 * 1024 * 1024 },
    ).catch((error: { code: number; stdout: string; stderr: string }) => error);
    const output = `${run.stdout}\n${run.stderr}`;
    expect({ code: (run as { code?: number }).code ?? 0, output }).toEqual({
      code: 0,
      output: expect.stringMatching(/passed/i),
    });
    expect(output).not.toMatch(/Server error/i);
  });
});
