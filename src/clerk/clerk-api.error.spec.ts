import { ClerkApiError, toClerkApiError } from './clerk-api.error';

describe('toClerkApiError', () => {
  it.each([
    [404, 'not_found', false],
    [401, 'refused', false],
    [403, 'refused', false],
    [429, 'throttled', true],
    [500, 'unavailable', true],
    [503, 'unavailable', true],
    [422, 'unusable', false],
  ])('HTTP %i is %s', (status, failure, transient) => {
    const error = toClerkApiError({ status, clerkTraceId: 'trace_1', retryAfter: 7, message: 'x' }, 'getUser');
    expect(error).toMatchObject({ failure, status, traceId: 'trace_1', retryAfter: 7, transient });
  });

  it("the SDK's answer without status for a failed fetch is unavailable; for a body that is not JSON, unusable", () => {
    const sdkError = (message: string) => ({
      name: 'ClerkAPIResponseError',
      status: undefined,
      errors: message ? [{ code: 'unexpected_error', message }] : [],
    });
    expect(toClerkApiError(sdkError(''), 'getUser')).toMatchObject({ failure: 'unavailable', transient: true });
    expect(toClerkApiError(sdkError('fetch failed'), 'getUser')).toMatchObject({
      failure: 'unavailable',
      transient: true,
    });
    expect(toClerkApiError(sdkError('Unexpected token \'<\', "<html>" is not valid JSON'), 'getUser')).toMatchObject({
      failure: 'unusable',
      transient: false,
    });
  });

  it('a fetch that never reached Clerk is unavailable', () => {
    const refused = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    expect(toClerkApiError(refused, 'getUser')).toMatchObject({ failure: 'unavailable', status: undefined });
  });

  it('anything else the SDK throws (a body that is not JSON, an id it refuses) is unusable', () => {
    expect(toClerkApiError(new SyntaxError('Unexpected token <'), 'getUser').failure).toBe('unusable');
    expect(toClerkApiError(new Error('A valid resource ID is required.'), 'getUser').failure).toBe('unusable');
  });

  it('passes a ClerkApiError through', () => {
    const error = new ClerkApiError('refused', 'x', 401);
    expect(toClerkApiError(error, 'y')).toBe(error);
  });
});
