import { existsSync } from 'node:fs';
import { fail as failWith, failUsage, loadCommandConfig, parseCommandArgs } from './command';
import { SAMPLE_EVENT_TYPES, sampleEvent, SampleEventType } from './sample-events';
import { ClerkJson, continueSample, SENT_SAMPLES_PATH, SentSamples } from './sent-samples';
import { signedDelivery } from '../samples/signed-delivery';

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
  --url      the endpoint (default: http://127.0.0.1:$PORT/webhooks/clerk)

A sample changes only what its options say. It starts from what this command last sent for the
same id (kept in .data/webhook-send-samples.json): user.updated --email ... keeps the names and
created_at sent before. Changes made another way (in Clerk, or by another machine) are not seen
there; an id never sent from here starts from the defaults above.`;

/** The options that set a field of the sample (the others choose the object or the endpoint). */
const FIELD_OPTIONS = ['email', 'first-name', 'last-name', 'name', 'role'] as const;

/** Every failure of this command (usage, configuration, no service) exits with 2. */
const fail: (message: string) => never = (message) => failWith(message, 2);

async function main(): Promise<void> {
  const { values, positionals } = parseCommandArgs(
    {
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
    },
    USAGE,
  );
  if (values.help) return void console.log(USAGE);
  const type = positionals[0] as SampleEventType;
  if (positionals.length === 0) failUsage('Which event type? Give one, e.g. user.created', USAGE);
  if (positionals.length > 1) failUsage(`One event type at a time, not ${positionals.join(' ')}`, USAGE);
  if (!SAMPLE_EVENT_TYPES.includes(type)) {
    failUsage(`Unknown event type ${JSON.stringify(type)}. Known types: ${SAMPLE_EVENT_TYPES.join(', ')}`, USAGE);
  }

  const { config } = loadCommandConfig(2);
  const [secret] = config.clerk.webhookSigningSecrets;
  if (!secret) {
    fail(
      existsSync('.env')
        ? "CLERK_WEBHOOK_SIGNING_SECRET is not set in .env: run npm run dev:setup (a local secret), or set your Clerk endpoint's whsec_... secret"
        : 'No .env here: run npm run dev:setup first (it writes a local CLERK_WEBHOOK_SIGNING_SECRET that the service and this command share)',
    );
  }

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
  const sent = new SentSamples(SENT_SAMPLES_PATH);
  const given = FIELD_OPTIONS.filter((option) => values[option] !== undefined);
  const data = type.endsWith('.deleted')
    ? undefined
    : continueSample(sent.lastSent(objectId), (event as { data: ClerkJson }).data, given);
  if (data) (event as { data: ClerkJson }).data = data;
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
  sent.remember(objectId, data);
  console.log(`${type} for ${objectId} (svix-id ${svixId}) → POST ${url}`);
  console.log(`${response.status} ${await response.text()}`);
  process.exitCode = response.ok ? 0 : 1;
}

void main();
