import { ClerkApiError, toClerkApiError } from './clerk-api.error';
import { DeadlineExceededError, getWithDeadline } from './deadline-get';

/** Clerk's Backend API when CLERK_API_URL is not set (as @clerk/backend has it). */
export const CLERK_API_URL = 'https://api.clerk.com';

export interface BackendApiOptions {
  apiUrl?: string;
  secretKey: string;
  timeoutMs: number;
}

export type Query = Record<string, string | number | string[] | undefined>;

/** A GET of the Backend API answering its JSON, as the secret key's caller; `what` names the call in errors. */
export type BackendGet = (what: string, path: string, query?: Query) => Promise<unknown>;

/**
 * The Backend API's GETs with a deadline that ends the request: at `timeoutMs` it is aborted and
 * its connection closed (getWithDeadline). @clerk/backend's request layer takes no AbortSignal, so
 * a Clerk that accepts and never answers left one open socket per call behind a timeout that only
 * stopped the waiting. The service reads the raw JSON only (its own parsers), so nothing of the
 * SDK's deserialisation is lost.
 */
export function backendGet({ apiUrl = CLERK_API_URL, secretKey, timeoutMs }: BackendApiOptions): BackendGet {
  const base = `${apiUrl.replace(/\/+$/, '')}/v1`;
  const headers = { authorization: `Bearer ${secretKey}`, accept: 'application/json' };
  return async (what, path, query = {}) => {
    const url = new URL(`${base}${path}`);
    for (const [name, value] of Object.entries(query))
      for (const one of [value].flat()) if (one !== undefined) url.searchParams.append(name, String(one));
    let answer;
    try {
      answer = await getWithDeadline(url, headers, timeoutMs);
    } catch (error) {
      if (error instanceof DeadlineExceededError) throw new ClerkApiError('unavailable', `${what}: ${error.message}`);
      throw toClerkApiError(error, what);
    }
    const { status, headers: answerHeaders, body } = answer;
    if (status < 200 || status >= 300) {
      const retryAfter = Number(answerHeaders['retry-after'] ?? Number.NaN);
      const trace = answerHeaders['x-clerk-trace-id'];
      throw toClerkApiError(
        {
          status,
          retryAfter: Number.isFinite(retryAfter) ? retryAfter : undefined,
          clerkTraceId: typeof trace === 'string' ? trace : traceIdOf(body),
        },
        what,
      );
    }
    try {
      return JSON.parse(body) as unknown;
    } catch {
      throw new ClerkApiError('unusable', `${what}: the answer is not JSON`);
    }
  };
}

function traceIdOf(body: string): string | undefined {
  try {
    const trace = (JSON.parse(body) as { clerk_trace_id?: unknown })?.clerk_trace_id;
    return typeof trace === 'string' ? trace : undefined;
  } catch {
    return undefined;
  }
}
