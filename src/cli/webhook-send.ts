import { parseArgs } from 'node:util';
import { clerkUser, deletedEvent, newUserId, userEvent } from './clerk-sample';
import { fail as failWith, loadCommandConfig } from './command';
import { signedDelivery } from './signed-delivery';

const EVENT_TYPES = ['user.created', 'user.updated', 'user.deleted'] as const;
type EventType = (typeof EVENT_TYPES)[number];

const USAGE = `Usage: npm run webhook:send -- <${EVENT_TYPES.join('|')}> [--user-id ID] [--email E] [--url URL]

Sends a realistic Clerk event, signed with CLERK_WEBHOOK_SIGNING_SECRET (from .env or the
environment), to a running service, and prints its answer.
  --user-id  the Clerk user id (default: a new random one; reuse it to update or delete)
  --email    the primary email of created/updated users (default: <user-id>@example.com)
  --url      the endpoint (default: http://127.0.0.1:$PORT/webhooks/clerk)`;

/** Every failure of this command (usage, configuration, no service) exits with 2. */
const fail: (message: string) => never = (message) => failWith(message, 2);

function buildEvent(type: EventType, userId: string, email?: string): object {
  if (type === 'user.deleted') return deletedEvent(userId);
  const now = Date.now();
  return userEvent(
    type,
    clerkUser({ id: userId, emails: [email ?? `${userId}@example.com`], createdAt: now, updatedAt: now }),
  );
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'user-id': { type: 'string' },
      email: { type: 'string' },
      url: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return void console.log(USAGE);
  const type = positionals[0] as EventType;
  if (positionals.length !== 1 || !EVENT_TYPES.includes(type)) fail(USAGE);

  const { config } = loadCommandConfig(2);
  const [secret] = config.clerk.webhookSigningSecrets;
  if (!secret) fail('CLERK_WEBHOOK_SIGNING_SECRET is not set: put the whsec_... secret in .env (see .env.example)');

  const userId = values['user-id'] ?? newUserId();
  const url = values.url ?? `http://127.0.0.1:${config.port}/webhooks/clerk`;
  if (!/^https?:\/\/[^/]/i.test(url) || !URL.canParse(url)) {
    fail(`--url ${url} is not a valid URL: give the full address, e.g. --url http://127.0.0.1:3000/webhooks/clerk`);
  }
  const { headers, body } = signedDelivery(secret, buildEvent(type, userId, values.email));
  const svixId = headers['svix-id'];

  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers, body });
  } catch (error) {
    fail(
      `Could not reach ${url}: ${(error as Error).cause ?? (error as Error).message}. Is the service running (npm start)?`,
    );
  }
  console.log(`${type} for ${userId} (svix-id ${svixId}) → POST ${url}`);
  console.log(`${response.status} ${await response.text()}`);
  process.exitCode = response.ok ? 0 : 1;
}

void main();
