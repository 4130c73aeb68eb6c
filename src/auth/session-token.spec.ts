import { decodedSegment, malformedTokenReason, MAX_TOKEN_LENGTH } from './session-token';

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

describe('decodedSegment', () => {
  it('reads the header and the payload of a well-shaped token', () => {
    const value = token({ alg: 'RS256', kid: 'ins_1' }, { sub: 'user_2' });
    expect(decodedSegment(value, 0)).toEqual({ alg: 'RS256', kid: 'ins_1' });
    expect(decodedSegment(value, 1)).toEqual({ sub: 'user_2' });
  });
});
