import { DeliveriesService } from '../../src/webhooks/deliveries.service';
import { WebhooksModule } from '../../src/webhooks/webhooks.module';
import { WebhooksService } from '../../src/webhooks/webhooks.service';
import { storedDocument } from '../support/database';
import { MediumBed } from '../support/medium';
import {
  clerkMembership,
  clerkOrganization,
  clerkUser,
  deletedEvent,
  deletedOrganizationEvent,
  Delivery,
  membershipEvent,
  organizationEvent,
  signedDelivery,
  userEvent,
} from '../support/payloads';

/**
 * The process's memory of svix-ids (`DeliveriesService.arrivedBefore`) only chooses how a write
 * is sent: every sequence of deliveries must answer the same outcomes and leave the same stored
 * state whether each redelivery reaches the process that saw it (`memory`), a fresh process
 * (`fresh`: nothing remembered), or the probe goes with every delivery (`always`: what concurrent
 * attempts of one svix-id can give a first write).
 */
const bed = MediumBed.use('redelivery-memory', [WebhooksModule]);
const receive = ({ body, headers }: Delivery) => bed.get(WebhooksService).receive(Buffer.from(body), headers);

type Mode = 'memory' | 'fresh' | 'always';
/** A step: one delivery (by its index in the scenario's list), or several at once. */
type Step = number | number[];
interface Scenario {
  deliveries: Delivery[];
  steps: Step[];
  /** The stored objects to compare: collection and id. */
  objects: [string, string][];
}

const T0 = 1_700_000_000_000;

/** What a run answered, and what it left, with svix-ids as their index in the scenario (ids differ per run). */
async function run(mode: Mode, build: () => Scenario) {
  const deliveries = bed.get(DeliveriesService);
  const spy =
    mode === 'memory' ? undefined : jest.spyOn(deliveries, 'arrivedBefore').mockReturnValue(mode === 'always');
  try {
    const scenario = build();
    const svixIds = scenario.deliveries.map((delivery) => delivery.headers['svix-id']);
    const outcomes: unknown[] = [];
    for (const step of scenario.steps) {
      if (Array.isArray(step)) {
        const together = await Promise.all(step.map((i) => receive(scenario.deliveries[i])));
        outcomes.push(together.sort());
      } else outcomes.push(await receive(scenario.deliveries[step]));
    }
    const stored = [];
    for (const [collection, id] of scenario.objects) {
      const document = await storedDocument(bed.dbUri, collection, id);
      stored.push(
        document && {
          deleted: Boolean(document.deletedAt),
          clerkUpdatedAt: document.clerkUpdatedAt,
          name: document.firstName ?? document.name,
          writers: (document.writers as string[]).map((writer) => svixIds.indexOf(writer)),
        },
      );
    }
    return { outcomes, stored };
  } finally {
    spy?.mockRestore();
  }
}

const user = (id: string, i: number) =>
  userEvent(i ? 'user.updated' : 'user.created', clerkUser({ id, firstName: `V${i}`, updatedAt: T0 + i }));

const scenarios: [string, () => Scenario][] = [
  [
    'a version redelivered after a newer one, then after a deletion',
    () => {
      const id = clerkUser().id;
      const deliveries = [user(id, 1), user(id, 2), deletedEvent(id)].map((e) => signedDelivery(bed.secret, e));
      return { deliveries, steps: [0, 1, 0, 2, 0, 1, 2], objects: [['users', id]] };
    },
  ],
  [
    'a version redelivered after more than 16 newer writers',
    () => {
      const id = clerkUser().id;
      const deliveries = Array.from({ length: 19 }, (_, i) => signedDelivery(bed.secret, user(id, i + 1)));
      return { deliveries, steps: [...deliveries.keys(), 0, 1, 2, 3, 18], objects: [['users', id]] };
    },
  ],
  [
    'a stale version and a second deletion, redelivered',
    () => {
      const id = clerkUser().id;
      const deliveries = [user(id, 5), user(id, 3), deletedEvent(id), deletedEvent(id)].map((e) =>
        signedDelivery(bed.secret, e),
      );
      return { deliveries, steps: [0, 1, 1, 2, 3, 3, 2, 1, 0], objects: [['users', id]] };
    },
  ],
  [
    'a deletion of a user never stored, redelivered',
    () => {
      const id = clerkUser().id;
      const deliveries = [deletedEvent(id), user(id, 1)].map((e) => signedDelivery(bed.secret, e));
      return { deliveries, steps: [0, 0, 1, 1, 0], objects: [['users', id]] };
    },
  ],
  [
    'organizations and memberships, redelivered after newer versions and deletions',
    () => {
      const member = clerkUser({ updatedAt: T0 });
      const org1 = clerkOrganization({ updatedAt: T0 + 1, name: 'One' });
      const org2 = { ...org1, name: 'Two', updated_at: T0 + 2 };
      const m1 = clerkMembership({ userId: member.id, organization: org1, updatedAt: T0 + 1 });
      const m2 = { ...m1, role: 'org:admin', updated_at: T0 + 2, organization: org2 };
      const deliveries = [
        userEvent('user.created', member),
        organizationEvent('organization.created', org1),
        membershipEvent('organizationMembership.created', m1),
        membershipEvent('organizationMembership.updated', m2),
        organizationEvent('organization.updated', org2),
        membershipEvent('organizationMembership.deleted', m2),
        deletedOrganizationEvent(org1.id),
      ].map((e) => signedDelivery(bed.secret, e));
      return {
        deliveries,
        steps: [0, 1, 2, 2, 3, 2, 4, 1, 4, 3, 5, 5, 2, 3, 6, 6, 1, 4, 2, 5],
        objects: [
          ['organizations', org1.id],
          ['organization_memberships', m1.id],
        ],
      };
    },
  ],
  [
    'a membership of a user deleted here, redelivered',
    () => {
      const member = clerkUser();
      const m = clerkMembership({ userId: member.id });
      const deliveries = [
        userEvent('user.created', member),
        deletedEvent(member.id),
        membershipEvent('organizationMembership.created', m),
      ].map((e) => signedDelivery(bed.secret, e));
      return { deliveries, steps: [0, 1, 2, 2, 0], objects: [['organization_memberships', m.id]] };
    },
  ],
  [
    'concurrent attempts of one svix-id, then a redelivery',
    () => {
      const id = clerkUser().id;
      const deliveries = [user(id, 1), user(id, 2), deletedEvent(id)].map((e) => signedDelivery(bed.secret, e));
      return { deliveries, steps: [[0, 0, 0], 0, [1, 1, 0, 1], [2, 2, 1], 2], objects: [['users', id]] };
    },
  ],
];

describe.each(scenarios)('%s', (_name, build) => {
  it('answers and stores the same whether the process remembers the svix-ids or not', async () => {
    const fresh = await run('fresh', build);
    expect(await run('memory', build)).toEqual(fresh);
    expect(await run('always', build)).toEqual(fresh);
  });
});
