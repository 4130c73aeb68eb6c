import { MAX_SIGNATURE_LENGTH, svixHeadersOf } from './svix-headers';
import { WebhookRejection } from './webhook-rejection';

const NOW_MS = 1_750_000_000_000;
const NOW = String(NOW_MS / 1000);
const SIGNATURE = `v1,${'A'.repeat(43)}=`;
const headers = (overrides: Record<string, string | undefined> = {}) => ({
  'svix-id': 'msg_1',
  'svix-timestamp': NOW,
  'svix-signature': SIGNATURE,
  ...overrides,
});

/** The rejection svixHeadersOf throws for these headers, as [reason, message]. */
function refusal(raw: Record<string, string | undefined>): [string, string] {
  try {
    svixHeadersOf(raw, NOW_MS);
  } catch (error) {
    if (error instanceof WebhookRejection) return [error.reason, error.message];
    throw error;
  }
  throw new Error('accepted');
}

describe('svixHeadersOf', () => {
  it('reads the svix-* names, else the webhook-* names; svix-* wins when both are set', () => {
    expect(svixHeadersOf(headers(), NOW_MS)).toEqual({
      id: 'msg_1',
      timestamp: NOW,
      signature: SIGNATURE,
      signatureName: 'svix-signature',
    });
    const standard = { 'webhook-id': 'msg_2', 'webhook-timestamp': NOW, 'webhook-signature': SIGNATURE };
    expect(svixHeadersOf(standard, NOW_MS)).toMatchObject({ id: 'msg_2', signatureName: 'webhook-signature' });
    expect(svixHeadersOf({ ...standard, 'svix-id': 'msg_3' }, NOW_MS).id).toBe('msg_3');
  });

  it('names every missing header with both its names', () => {
    expect(refusal({ 'svix-id': 'msg_1' })).toEqual([
      'headers',
      'Missing Svix header(s): svix-timestamp (or webhook-timestamp), svix-signature (or webhook-signature)',
    ]);
  });

  it.each(['soon', 'NaN', '-', 'x1750000000'])(
    'a timestamp %j is a timestamp problem, not a bad signature',
    (value) => {
      expect(refusal(headers({ 'svix-timestamp': value }))).toEqual([
        'timestamp',
        'The svix-timestamp must be a Unix time in seconds',
      ]);
    },
  );

  it('accepts 5 minutes either way, and refuses a second more', () => {
    for (const offset of [-300, 300]) {
      expect(() => svixHeadersOf(headers({ 'svix-timestamp': String(Number(NOW) + offset) }), NOW_MS)).not.toThrow();
    }
    for (const offset of [-301, 301]) {
      expect(refusal(headers({ 'svix-timestamp': String(Number(NOW) + offset) }))).toEqual([
        'timestamp',
        "The svix-timestamp is outside Svix's tolerance of 5 minutes",
      ]);
    }
  });

  it('bounds the signature header: 10 entries and 1024 characters', () => {
    const entries = (n: number) => Array.from({ length: n }, () => SIGNATURE).join(' ');
    expect(svixHeadersOf(headers({ 'svix-signature': entries(10) }), NOW_MS).signature).toBe(entries(10));
    expect(refusal(headers({ 'svix-signature': entries(11) }))).toEqual([
      'headers',
      'The svix-signature header holds more than 10 signatures',
    ]);
    expect(refusal(headers({ 'svix-signature': 'v'.repeat(MAX_SIGNATURE_LENGTH + 1) }))).toEqual([
      'headers',
      'The svix-signature header is longer than 1024 characters',
    ]);
  });

  it('costs the same whatever the signature header holds: a megabyte of entries no more than 1.1 kB', () => {
    const entries = (n: number) => Array.from({ length: n }, () => SIGNATURE).join(' ');
    const timeRefusals = (signature: string) => {
      const started = performance.now();
      for (let i = 0; i < 300; i++) expect(refusal(headers({ 'svix-signature': signature }))[0]).toBe('headers');
      return performance.now() - started;
    };
    const small = entries(22);
    const huge = entries(22_000);
    timeRefusals(small);
    expect(timeRefusals(huge)).toBeLessThan(timeRefusals(small) * 3 + 20);
  });
});
