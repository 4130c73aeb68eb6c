import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface DeadlineAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** The request did not end within its deadline: it was aborted and its connection closed. */
export class DeadlineExceededError extends Error {
  override readonly name = 'DeadlineExceededError';
}

/**
 * A GET whose deadline ends the request itself: at `timeoutMs` (the answer's body included) the
 * request is destroyed with its socket. Node's `http.request` closes the connection on abort;
 * `fetch` (undici) does not: an aborted request's socket stays open, waiting for an answer that a
 * silent server never sends.
 */
export function getWithDeadline(url: URL, headers: Record<string, string>, timeoutMs: number): Promise<DeadlineAnswer> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const signal = AbortSignal.timeout(timeoutMs);
  return new Promise((resolve, reject) => {
    const fail = (error: unknown) =>
      reject(signal.aborted ? new DeadlineExceededError(`no answer within ${timeoutMs / 1000} s`) : error);
    const outgoing = request(url, { method: 'GET', headers, signal }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', fail);
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    outgoing.on('error', fail);
    outgoing.end();
  });
}
