import { isVerificationUnavailable, JwksTimeoutError, malformedTokenReason, MAX_TOKEN_LENGTH } from './session-token';

const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const token = (header: unknown, payload: unknown = { sub: 'user_1' }) => `${b64(header)}.${b64(payload)}.AAAA`;

describe('malformedTokenReason', () => {
  it('lets a JWT-shaped token through to the signature check', () => {
    expect(malformedTokenReason(token({ alg: 'RS256', kid: 'ins_1' }))).toBeUndefined();
  });

  it.each([
    ['a JSON null header', 'bnVsbA.e30.AAAA', 'the header is not an object'],
    ['an array header', token([1, 2]), 'the header is not an object'],
    ['a number header', token(42), 'the header is not an object'],
    ['a string header', token('"x"'), 'the header is not an object'],
    ['a null payload', token({ alg: 'RS256' }, null), 'the payload is not an object'],
    ['an array payload', token({ alg: 'RS256' }, []), 'the payload is not an object'],
    ['a header that is not JSON', `${b64('{')}.e30.AAAA`, 'the header is not JSON'],
    ['standard base64', 'ey+/.e30.AAAA', 'a segment is not base64url'],
    ['an empty signature', `${token({ alg: 'RS256' }).slice(0, -4)}`, 'a segment is not base64url'],
    ['two segments', 'e30.e30', 'not three dot-separated segments'],
    ['four segments', 'e30.e30.e30.e30', 'not three dot-separated segments'],
    ['a huge segment', `${'A'.repeat(MAX_TOKEN_LENGTH)}.e30.AAAA`, `longer than ${MAX_TOKEN_LENGTH} characters`],
  ])('refuses %s', (_, value, reason) => {
    expect(malformedTokenReason(value)).toBe(reason);
  });
});

describe('isVerificationUnavailable', () => {
  it('is true for a failed JWKS fetch, its time limit, or a JWKS answer that is not JSON', () => {
    expect(isVerificationUnavailable({ reason: 'jwk-remote-failed-to-load' })).toBe(true);
    expect(isVerificationUnavailable(new JwksTimeoutError(5000))).toBe(true);
    expect(isVerificationUnavailable(new TypeError('fetch failed'))).toBe(true);
    expect(isVerificationUnavailable(Object.assign(new Error('x'), { cause: { code: 'ECONNREFUSED' } }))).toBe(true);
    expect(isVerificationUnavailable(new SyntaxError('Unexpected token <'))).toBe(true);
  });

  it('is false for a verdict on the token, and for errors that say nothing of the network', () => {
    expect(isVerificationUnavailable({ reason: 'token-invalid-signature' })).toBe(false);
    expect(isVerificationUnavailable({ reason: 'jwk-kid-mismatch' })).toBe(false);
    expect(isVerificationUnavailable(new TypeError("Cannot destructure property 'kid' of null"))).toBe(false);
    expect(isVerificationUnavailable(undefined)).toBe(false);
  });
});
