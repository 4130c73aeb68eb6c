import { createPublicKey } from 'node:crypto';
import { parseArgs } from 'node:util';
import { devSessionClaims, readDevSessionKey, signJwt } from '../dev/session-token';
import { fail, loadCommandConfig } from './command';

const USAGE = `Usage: npm run -s dev:token -- --user-id user_... [--org-id org_... [--org-role org:admin]] [--azp ORIGIN] [--ttl SECONDS]

Development only: prints a session token shaped like Clerk's (version 2 claims: sid, azp, and the
active organization), signed with the local key of npm run dev:setup, for GET and PATCH /me:
  curl -H "Authorization: Bearer $(npm run -s dev:token -- --user-id user_local_1)" localhost:3000/me
  --user-id   the Clerk user id (sub)
  --org-id    the active organization; --org-role its role (default org:member)
  --azp       the frontend's origin (default: the first of CLERK_AUTHORIZED_PARTIES, else http://localhost:5173)
  --ttl       seconds until it expires (default 3600; Clerk's own last 60)`;

function main(): void {
  const { values } = parseArgs({
    options: {
      'user-id': { type: 'string' },
      'org-id': { type: 'string' },
      'org-role': { type: 'string' },
      azp: { type: 'string' },
      ttl: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return void console.log(USAGE);
  const userId = values['user-id'];
  if (!userId || !/^user_\w+$/.test(userId)) fail(`--user-id user_... is required\n\n${USAGE}`, 2);
  const ttlSeconds = Number(values.ttl ?? 3600);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1) fail(`--ttl must be a whole number of seconds\n\n${USAGE}`, 2);
  if (values['org-role'] && !values['org-id']) fail(`--org-role needs --org-id\n\n${USAGE}`, 2);

  const { config } = loadCommandConfig(2);
  if (config.production) fail('npm run dev:token is for development only: NODE_ENV gives production rules here.', 2);
  const key = readDevSessionKey();
  if (!key) fail('No local session key: run npm run dev:setup first.', 2);
  const configured = config.clerk.jwtKey;
  const matches =
    configured !== undefined &&
    createPublicKey(configured)
      .export({ type: 'spki', format: 'der' })
      .equals(createPublicKey(key.publicKeyPem).export({ type: 'spki', format: 'der' }));
  if (!matches)
    fail(
      'CLERK_JWT_KEY is not the public key of the local session key, so the service would refuse this token.\n' +
        'Clear CLERK_JWT_KEY in .env and run npm run dev:setup again (or keep your Clerk key and sign in through Clerk).',
      2,
    );

  const azp = values.azp ?? config.clerk.authorizedParties[0] ?? 'http://localhost:5173';
  const claims = devSessionClaims({ userId, orgId: values['org-id'], orgRole: values['org-role'], azp, ttlSeconds });
  console.log(signJwt(key, claims));
}

main();
