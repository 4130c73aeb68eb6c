import { parseClerkEvent } from './clerk-event.schema';
import { InvalidClerkPayload } from './invalid-clerk-payload.error';

const bytes = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
const T = 1_700_000_000_000;
const user = { id: 'user_1', first_name: 'Ada', updated_at: T };

function refusal(body: unknown): InvalidClerkPayload {
  try {
    parseClerkEvent(bytes(body));
  } catch (error) {
    if (error instanceof InvalidClerkPayload) return error;
    throw error;
  }
  throw new Error('parsed');
}

describe('parseClerkEvent: verified bytes → a typed event, or one InvalidClerkPayload', () => {
  it('a user event becomes a snapshot to sync, with the object id for the log', () => {
    expect(parseClerkEvent(bytes({ type: 'user.updated', data: user, timestamp: T }))).toEqual({
      type: 'user.updated',
      timestamp: T,
      objectId: 'user_1',
      change: { kind: 'syncUser', user: expect.objectContaining({ id: 'user_1', firstName: 'Ada', version: T }) },
    });
  });

  it.each([
    ['user.deleted', 'user_1', { kind: 'tombstoneUser', id: 'user_1' }],
    ['organization.deleted', 'org_1', { kind: 'tombstoneOrganization', id: 'org_1' }],
  ])('%s (Clerk deleted-object form) becomes a tombstone', (type, id, change) => {
    expect(parseClerkEvent(bytes({ type, data: { id, object: 'x', deleted: true } })).change).toEqual(change);
  });

  it('a type the service does not handle has no change (ignored)', () => {
    expect(parseClerkEvent(bytes({ type: 'session.created', data: { id: 'sess_1' } })).change).toBeUndefined();
  });

  it.each([
    ['not JSON', '{"type": "user.created", "data": ', 'body', /^The webhook body is not JSON$/],
    ['nested too deep', '['.repeat(65) + ']'.repeat(65), 'body', /nests deeper than 64 levels/],
    ['no type', { data: user }, 'payload', /^The webhook body is not a Clerk event: body\.type/],
    ['data without an id', { type: 'user.created', data: {} }, 'payload', /^user\.created: data\.id is missing$/],
    [
      'a deletion with a bad id',
      { type: 'user.deleted', data: { id: 'org_1' } },
      'payload',
      /^user\.deleted: data\.id/,
    ],
  ])('%s: refused as %s', (_case, body, reason, message) => {
    const error = refusal(body);
    expect(error.reason).toBe(reason);
    expect(error.message).toMatch(message);
  });

  it('a refused event still names its type and object for the log', () => {
    const error = refusal({ type: 'user.created', data: { id: 'user_1', updated_at: 1e308 } });
    expect(error.event).toEqual({ type: 'user.created', objectId: 'user_1' });
  });
});
