import { request as httpRequest } from 'node:http';
import type { Delivery } from './payloads';

export interface JsonResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export async function request<T = any>(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<JsonResponse<T>> {
  const response = await fetch(url, { ...init, body: init.body as string | undefined });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body: body as T };
}

export const postWebhook = (baseUrl: string, delivery: Delivery) =>
  request<{ received: boolean; outcome: string; statusCode?: number; message?: string }>(`${baseUrl}/webhooks/clerk`, {
    method: 'POST',
    headers: delivery.headers,
    body: delivery.body,
  });

/** A request as any client may send it, a body on GET included (fetch refuses that); answers the status. */
export function rawRequest(
  url: string,
  { method, headers, body }: { method: string; headers: Record<string, string>; body: string | Buffer },
): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(url, { method, headers: { ...headers, 'content-length': Buffer.byteLength(body) } });
    outgoing.on('response', (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
