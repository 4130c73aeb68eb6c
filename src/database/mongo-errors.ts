/** A unique-index violation: the document exists already. */
export function isDuplicateKeyError(error: unknown): boolean {
  return (error as { code?: unknown })?.code === 11000;
}

const UNAVAILABLE_ERRORS = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  // No connection within waitQueueTimeoutMS: the server accepts connections but answers nothing.
  'MongoWaitQueueTimeoutError',
  'DisconnectedError',
]);

/** Socket errors the driver can let through unwrapped when the server goes away mid-command. */
const SOCKET_ERROR_CODES = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ENOTCONN']);

/** The database could not be reached: the request may succeed later (503, not 500). */
export function isDatabaseUnavailableError(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 3) return false;
  const { name, code, errorLabelSet, cause } = error as {
    name?: unknown;
    code?: unknown;
    errorLabelSet?: unknown;
    cause?: unknown;
  };
  if (typeof name === 'string' && UNAVAILABLE_ERRORS.has(name)) return true;
  if (typeof code === 'string' && SOCKET_ERROR_CODES.has(code)) return true;
  if (errorLabelSet instanceof Set && errorLabelSet.has('ResetPool')) return true;
  return isDatabaseUnavailableError(cause, depth + 1);
}
