import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isVariableSet, setUnsetVariables } from '../dev/env-file';
import { DEV_SESSION_KEY_PATH, readDevSessionKey } from '../dev/session-token';
import { fail, loadCommandConfig, parseCommandArgs } from './command';

const USAGE = `Usage: npm run dev:setup

Development only: fills .env (made from .env.example when missing) so that the whole loop runs
without a Clerk account. It never overwrites a value that is already set.
  CLERK_WEBHOOK_SIGNING_SECRET  a fresh local whsec_ secret (npm run webhook:send signs with it)
  CLERK_JWT_KEY                 the public half of a new RSA-2048 session key whose private half
                                is kept in .data/dev-session-key.pem (npm run dev:token signs with it)`;

const ENV_FILE = '.env';

function main(): void {
  const { values } = parseCommandArgs({ options: { help: { type: 'boolean' } } }, USAGE);
  if (values.help) return void console.log(USAGE);
  const { config } = loadCommandConfig(2);
  if (config.production)
    fail('npm run dev:setup is for development only: NODE_ENV gives production rules here. Use your Clerk keys.', 2);

  if (!existsSync(ENV_FILE) && existsSync('.env.example')) copyFileSync('.env.example', ENV_FILE);
  const text = existsSync(ENV_FILE) ? readFileSync(ENV_FILE, 'utf8') : '';

  // A session key is made only when CLERK_JWT_KEY is to be set: never one that nothing verifies.
  let key = readDevSessionKey();
  const wanted: Record<string, string> = {
    CLERK_WEBHOOK_SIGNING_SECRET: `whsec_${randomBytes(24).toString('base64')}`,
  };
  const jwtKeyUnset = !isVariableSet(text, 'CLERK_JWT_KEY');
  if (jwtKeyUnset) {
    if (!key) {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      mkdirSync(dirname(DEV_SESSION_KEY_PATH), { recursive: true });
      writeFileSync(DEV_SESSION_KEY_PATH, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
      key = readDevSessionKey()!;
    }
    wanted.CLERK_JWT_KEY = JSON.stringify(key.publicKeyPem.trim());
  }
  const result = setUnsetVariables(text, wanted);
  writeFileSync(ENV_FILE, result.text);

  for (const name of result.set)
    console.log(
      name === 'CLERK_JWT_KEY'
        ? `Set CLERK_JWT_KEY: the public key of ${DEV_SESSION_KEY_PATH} (npm run dev:token signs with it)`
        : `Set ${name}: a fresh local secret (npm run webhook:send signs with it)`,
    );
  for (const name of [...result.kept, ...(jwtKeyUnset ? [] : ['CLERK_JWT_KEY'])])
    console.log(`Kept ${name}: it is set in ${ENV_FILE} already`);
  console.log('Next: npm start, then npm run webhook:send and npm run dev:token (see the README).');
}

main();
