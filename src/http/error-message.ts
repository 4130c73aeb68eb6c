/** An error message is a sentence for a person: longer ones are cut (a 400 once listed 90,000 keys). */
export const MAX_ERROR_MESSAGE = 300;

/** What a 503 without a wait of its own tells the client to wait, in seconds. */
export const DEFAULT_RETRY_AFTER_SECONDS = 5;

/**
 * The message as a client may see it: without the request's query string (tokens and e-mail
 * addresses travel there; "Cannot GET /x?__session=..." must not echo them) and at most
 * MAX_ERROR_MESSAGE characters.
 */
export function clientMessage(message: string, url = ''): string {
  const queryAt = url.indexOf('?');
  let safe = message;
  if (queryAt !== -1) {
    const query = url.slice(queryAt);
    safe = safe.split(query).join('');
    // What is left of a query (an echo of part of it, a decoded copy) goes too.
    safe = safe.replace(/\?\S*/g, '');
  }
  return safe.length <= MAX_ERROR_MESSAGE ? safe : `${safe.slice(0, MAX_ERROR_MESSAGE - 1)}…`;
}
