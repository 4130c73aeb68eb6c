import { generateKeyPairSync } from 'node:crypto';
import { JWKS_LIMITS, JwksKeySet, JwksUnavailableError } from './jwks-key-set';

const jwk = (kid: string) => ({
  ...generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' }),
  kid,
  alg: 'RS256',
  use: 'sig',
});
const [A, B, C] = ['ins_a', 'ins_b', 'ins_c'].map(jwk);

/** A key set over a JWKS the test changes, on a clock the test moves; `fetches` counts the fetches. */
function keySet(initial: object[]) {
  let now = 1_800_000_000_000;
  const state = { keys: initial, failing: false, fetches: 0 };
  const set = new JwksKeySet(
    async () => {
      state.fetches++;
      if (state.failing) throw new Error('HTTP 500');
      return { keys: state.keys };
    },
    JWKS_LIMITS,
    () => now,
  );
  return { set, state, advance: (ms: number) => (now += ms) };
}

describe('JwksKeySet', () => {
  it('fetches once for concurrent first uses, then answers from the set', async () => {
    const { set, state } = keySet([A]);
    const pems = await Promise.all(Array.from({ length: 20 }, () => set.pemFor('ins_a')));
    expect(new Set(pems).size).toBe(1);
    expect(pems[0]).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(state.fetches).toBe(1);
  });

  it('a refetch replaces the set: a kid Clerk no longer publishes is refused from then on', async () => {
    const { set, state, advance } = keySet([A, B]);
    expect(await set.pemFor('ins_a')).toBeDefined();
    state.keys = [B, C];
    expect(await set.pemFor('ins_c')).toBeDefined();
    expect(await set.pemFor('ins_a')).toBeUndefined();
    advance(JWKS_LIMITS.maxAgeMs);
    expect(await set.pemFor('ins_a')).toBeUndefined();
    expect(set.kids).toEqual(['ins_b', 'ins_c']);
  });

  it('unknown kids fetch at most once per interval for the whole set; inside it they are unknown without a fetch', async () => {
    const { set, state, advance } = keySet([A]);
    await set.pemFor('ins_a');
    for (let i = 0; i < 300; i++) expect(await set.pemFor(`ins_junk_${i}`)).toBeUndefined();
    expect(state.fetches).toBe(2);
    advance(JWKS_LIMITS.unknownKidIntervalMs);
    state.keys = [A, C];
    expect(await set.pemFor('ins_c')).toBeDefined();
    expect(state.fetches).toBe(3);
  });

  it('a new kid is accepted at once when no unknown kid fetched within the interval', async () => {
    const { set, state } = keySet([A]);
    await set.pemFor('ins_a');
    state.keys = [A, B];
    expect(await set.pemFor('ins_b')).toBeDefined();
    expect(state.fetches).toBe(2);
  });

  it('a JWKS that cannot be fetched is unavailable, and failed fetches back off', async () => {
    const { set, state, advance } = keySet([A]);
    state.failing = true;
    await expect(set.pemFor('ins_a')).rejects.toBeInstanceOf(JwksUnavailableError);
    for (let i = 0; i < 20; i++) await expect(set.pemFor('ins_a')).rejects.toBeInstanceOf(JwksUnavailableError);
    expect(state.fetches).toBe(1);
    advance(JWKS_LIMITS.firstBackoffMs);
    await expect(set.pemFor('ins_a')).rejects.toMatchObject({
      retryAfterSeconds: (2 * JWKS_LIMITS.firstBackoffMs) / 1000,
    });
    expect(state.fetches).toBe(2);
    // Back: the next fetch after the backoff answers.
    state.failing = false;
    advance(2 * JWKS_LIMITS.firstBackoffMs);
    expect(await set.pemFor('ins_a')).toBeDefined();
    expect(state.fetches).toBe(3);
  });

  it('keys past their age are not used when they cannot be renewed', async () => {
    const { set, state, advance } = keySet([A]);
    await set.pemFor('ins_a');
    state.failing = true;
    advance(JWKS_LIMITS.maxAgeMs);
    await expect(set.pemFor('ins_a')).rejects.toBeInstanceOf(JwksUnavailableError);
    advance(JWKS_LIMITS.maxBackoffMs);
    await expect(set.pemFor('ins_a')).rejects.toBeInstanceOf(JwksUnavailableError);
  });

  it('keeps only RSA signing keys with a kid; a JWKS without one is a failed fetch', async () => {
    const { set, state } = keySet([
      { kty: 'EC', kid: 'ins_ec' },
      { ...A, kid: undefined },
      { ...B, use: 'enc' },
    ]);
    await expect(set.pemFor('ins_b')).rejects.toBeInstanceOf(JwksUnavailableError);
    expect(state.fetches).toBe(1);
  });
});
