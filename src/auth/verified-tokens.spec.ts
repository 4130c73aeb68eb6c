import { DEFAULT_LIMITS, VerifiedToken, VerifiedTokens } from './verified-tokens';

const NOW = 1_800_000_000_000;
const seconds = (ms: number) => Math.floor(ms / 1000);
const session = (userId = 'user_1') => ({ userId, sessionId: 'sess_1', orgId: null });
const verified = (overrides: Partial<VerifiedToken> = {}): VerifiedToken => ({
  session: session(),
  exp: seconds(NOW) + 60,
  nbf: seconds(NOW) - 5,
  azp: 'https://app.example.com',
  ...overrides,
});

function tokens(limits = DEFAULT_LIMITS) {
  let now = NOW;
  const cache = new VerifiedTokens(limits, () => now);
  return { cache, advance: (ms: number) => (now += ms) };
}

describe('VerifiedTokens', () => {
  const parties = ['https://app.example.com'];

  it('answers for exactly the token it verified, not one byte different', () => {
    const { cache } = tokens();
    cache.remember('header.payload.signature', verified());
    expect(cache.find('header.payload.signature', parties)).toEqual(session());
    expect(cache.find('header.payload.signaturf', parties)).toBeUndefined();
    expect(cache.find('header.payload.signature ', parties)).toBeUndefined();
  });

  it('refuses a token past its exp, and forgets it', () => {
    const { cache, advance } = tokens();
    cache.remember('t', verified({ exp: seconds(NOW) + 10 }));
    advance(9_000);
    expect(cache.find('t', parties)).toEqual(session());
    advance(1_000);
    expect(cache.find('t', parties)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('keeps an entry a minute at most, even when the token lives longer', () => {
    const { cache, advance } = tokens();
    cache.remember('t', verified({ exp: seconds(NOW) + 3_600 }));
    advance(59_999);
    expect(cache.find('t', parties)).toEqual(session());
    advance(1);
    expect(cache.find('t', parties)).toBeUndefined();
  });

  it('checks nbf with the SDK clock skew, no more', () => {
    const { cache, advance } = tokens();
    cache.remember('t', verified({ nbf: seconds(NOW) + 10 }));
    expect(cache.find('t', parties)).toBeUndefined();
    advance(5_000);
    expect(cache.find('t', parties)).toEqual(session());
  });

  it('checks the authorized party on every use', () => {
    const { cache } = tokens();
    cache.remember('t', verified({ azp: 'https://elsewhere.example' }));
    expect(cache.find('t', parties)).toBeUndefined();
    expect(cache.find('t', [])).toEqual(session());
  });

  it('does not keep a token that has expired already', () => {
    const { cache } = tokens();
    cache.remember('t', verified({ exp: seconds(NOW) - 1 }));
    expect(cache.size).toBe(0);
  });

  it('stays within its bound of entries under 100,000 distinct tokens, the newest kept', () => {
    const { cache } = tokens();
    for (let i = 0; i < 100_000; i++) cache.remember(`token-${i}`, verified({ session: session(`user_${i}`) }));
    expect(cache.size).toBe(DEFAULT_LIMITS.entries);
    expect(cache.estimatedBytes).toBeLessThanOrEqual(DEFAULT_LIMITS.bytes);
    expect(cache.find('token-99999', parties)).toEqual(session('user_99999'));
    expect(cache.find('token-0', parties)).toBeUndefined();
  });

  it('stays within its bound of bytes when entries are large', () => {
    const { cache } = tokens({ ...DEFAULT_LIMITS, bytes: 100_000 });
    const long = 'x'.repeat(2_000);
    for (let i = 0; i < 100_000; i++) cache.remember(`token-${i}`, verified({ session: session(`user_${i}${long}`) }));
    expect(cache.estimatedBytes).toBeLessThanOrEqual(100_000);
    expect(cache.size).toBeGreaterThan(0);
    expect(cache.size).toBeLessThan(30);
  });
});
