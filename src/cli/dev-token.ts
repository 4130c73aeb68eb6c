import { createPublicKey } from 'node:crypto';
import { existsSync } from 'node:fs';
import { devSessionClaims, readDevSessionKey, signJwt } from '../dev/session-token';
import { fail, failUsage, loadCommandConfig, parseCommandArgs } from './command';

const USAGE = `Usage: npm run -s dev:token -- --user-id user_... [--org-id org_... [--org-role org:admin]] [--azp ORIGIN] [--ttl SECONDS]

Development only: prints a session token shaped like Clerk's (version 2 claims: sid, azp, and the
active organization), signed with the local key of npm run dev:setup, for GET and PATCH /me:
  curl -H "Authorization: Bearer $(npm run -s dev:token -- --user-id user_local_1)" localhost:3000/me
  --user-id   the Clerk user id (sub)
  --org-id    the active organization; --org-role its role (default org:member)
  --azp       the frontend's origin (default: the first of CLERK_AUTHORIZED_PARTIES, else http://localhost:5173)
  --ttl       seconds until it expires (default 3600; Clerk's own last 60)

The service verifies it as Clerk's SDK does, with Clerk's 5 s clock skew: a token is still
accepted up to 5 s after it expires (and up to 5 s before its nbf).`;

function main(): void {
  const { values } = parseCommandArgs(
    {
      options: {
        'user-id': { type: 'string' },
        'org-id': { type: 'string' },
        'org-role': { type: 'string' },
        azp: { type: 'string' },
        ttl: { type: 'string' },
        help: { type: 'boolean' },
      },
    },
    USAGE,
  );
  if (values.help) return void console.log(USAGE);
  const userId = values['user-id'];
  if (!userId || !/^user_\w+$/.test(userId)) failUsage('--user-id user_... is required', USAGE);
  const ttlSeconds = Number(values.ttl ?? 3600);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1) failUsage('--ttl must be a whole number of seconds', USAGE);
  if (values['org-role'] && !values['org-id']) failUsage('--org-role needs --org-id', USAGE);

  const { config } = loadCommandConfig(2);
  if (config.production) fail('npm run dev:token is for development only: NODE_ENV gives production rules here.', 2);
  const key = readDevSessionKey();
  if (!key) fail('No local session key: run npm run dev:setup first.', 2);
  const configured = config.clerk.jwtKey;
  if (configured === undefined) {
    fail(
      existsSync('.env')
        ? 'CLERK_JWT_KEY is not set in .env, so the service could not verify this token: run npm run dev:setup.'
        : 'No .env here: run npm run dev:setup first (it sets CLERK_JWT_KEY to the public half of the local session key).',
      2,
    );
  }
  const matches = createPublicKey(configured)
    .export({ type: 'spki', format: 'der' })
    .equals(createPublicKey(key.publicKeyPem).export({ type: 'spki', format: 'der' }));
  if (!matches)
    fail(
      'CLERK_JWT_KEY in .env is not the public key of the local session key, so the service would refuse this token.\n' +
        'To use local tokens, empty CLERK_JWT_KEY in .env and run npm run dev:setup; to keep your Clerk key, sign in through Clerk.',
      2,
    );

  const azp = values.azp ?? config.clerk.authorizedParties[0] ?? 'http://localhost:5173';
  const claims = devSessionClaims({ userId, orgId: values['org-id'], orgRole: values['org-role'], azp, ttlSeconds });
  console.log(signJwt(key, claims));
}

main();
