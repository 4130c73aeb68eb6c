import { CLERK_API_URL } from '../clerk/backend-api';
import { getWithDeadline } from '../clerk/deadline-get';
import type { JwksFetcher } from './jwks-key-set';

export interface JwksFetchOptions {
  apiUrl?: string;
  secretKey: string;
  timeoutMs: number;
  /** Called before each fetch: it counts against the key's Backend API budget. */
  onFetch?: () => void;
  /** Called after each fetch with its HTTP status (`network` when none came) and duration, for the metrics. */
  onAnswer?: (status: number | 'network', seconds: number) => void;
}

/**
 * GET /v1/jwks with the secret key, ended at the Backend API's time limit with its connection (the
 * SDK's own JWKS fetch takes no signal, and a Clerk that accepts and never answers would hold a
 * socket per fetch).
 */
export function jwksFetcher({
  apiUrl = CLERK_API_URL,
  secretKey,
  timeoutMs,
  onFetch,
  onAnswer,
}: JwksFetchOptions): JwksFetcher {
  const url = new URL(`${apiUrl.replace(/\/+$/, '')}/v1/jwks`);
  const headers = { authorization: `Bearer ${secretKey}`, accept: 'application/json' };
  return async () => {
    onFetch?.();
    const startedAt = performance.now();
    const took = () => (performance.now() - startedAt) / 1000;
    let answer;
    try {
      answer = await getWithDeadline(url, headers, timeoutMs);
    } catch (error) {
      onAnswer?.('network', took());
      throw error;
    }
    const { status, body } = answer;
    onAnswer?.(status, took());
    if (status !== 200) throw new Error(`HTTP ${status}`);
    return JSON.parse(body) as unknown;
  };
}
