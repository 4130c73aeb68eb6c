import { parseArgs } from 'node:util';
import { fail as failWith, loadCommandConfig } from './command';
import { SAMPLE_EVENT_TYPES, sampleEvent, SampleEventType } from './sample-events';
import { signedDelivery } from './signed-delivery';

const USAGE = `Usage: npm run webhook:send -- <event type> [--user-id ID] [--email E] [--first-name F] [--last-name L] [--org-id ID] [--name N] [--role R] [--url URL]

Sends a realistic Clerk event, signed with CLERK_WEBHOOK_SIGNING_SECRET (from .env or the
environment), to a running service, and prints its answer. Event types:
  ${SAMPLE_EVENT_TYPES.join('\n  ')}
  --user-id  the Clerk user id (default: a new random one; reuse it to update or delete)
  --email    the primary email of created/updated users (default: <user-id>@example.com)
  --first-name, --last-name  their names (default: Ada Lovelace)
  --org-id   the organization id (default: a new random one); a membership is the user's in it
  --name     the organization's name (a membership's copy of its organization is older than any
             organization sample, so it never overwrites the name that one gave)
  --role     a membership's role (default: org:member)
  --url      the endpoint (default: http://127.0.0.1:$PORT/webhooks/clerk)`;

/** Every failure of this command (usage, configuration, no service) exits with 2. */
const fail: (message: string) => never = (message) => failWith(message, 2);

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'user-id': { type: 'string' },
      email: { type: 'string' },
      'first-name': { type: 'string' },
      'last-name': { type: 'string' },
      'org-id': { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      url: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return void console.log(USAGE);
  const type = positionals[0] as SampleEventType;
  if (positionals.length !== 1 || !SAMPLE_EVENT_TYPES.includes(type)) fail(USAGE);

  const { config } = loadCommandConfig(2);
  const [secret] = config.clerk.webhookSigningSecrets;
  if (!secret) fail('CLERK_WEBHOOK_SIGNING_SECRET is not set: put the whsec_... secret in .env (see .env.example)');

  const url = values.url ?? `http://127.0.0.1:${config.port}/webhooks/clerk`;
  if (!/^https?:\/\/[^/]/i.test(url) || !URL.canParse(url)) {
    fail(`--url ${url} is not a valid URL: give the full address, e.g. --url http://127.0.0.1:3000/webhooks/clerk`);
  }
  const { event, objectId } = sampleEvent(type, {
    userId: values['user-id'],
    email: values.email,
    firstName: values['first-name'],
    lastName: values['last-name'],
    orgId: values['org-id'],
    name: values.name,
    role: values.role,
  });
  const { headers, body } = signedDelivery(secret, event);
  const svixId = headers['svix-id'];

  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers, body });
  } catch (error) {
    fail(
      `Could not reach ${url}: ${(error as Error).cause ?? (error as Error).message}. Is the service running (npm start)?`,
    );
  }
  console.log(`${type} for ${objectId} (svix-id ${svixId}) → POST ${url}`);
  console.log(`${response.status} ${await response.text()}`);
  process.exitCode = response.ok ? 0 : 1;
}

void main();
