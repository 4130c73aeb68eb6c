import { createServer } from 'node:net';

/** What an operator does about an address that cannot be listened on. */
const LISTEN_PROBLEMS: Record<string, string> = {
  EADDRINUSE:
    'the port is already in use (another copy of the service?). Stop that process, or set PORT to a free port',
  EACCES: 'this user may not listen on that port. Set PORT to 1024 or above',
  EADDRNOTAVAIL: 'this machine has no such address. Set HOST to one of its addresses, or 0.0.0.0',
};

/** The one line that says why `error` stopped the server from listening, or undefined for another error. */
function listenProblem(error: unknown, host: string, port: number): string | undefined {
  const problem = LISTEN_PROBLEMS[(error as NodeJS.ErrnoException | undefined)?.code ?? ''];
  return problem && `Cannot listen on ${host}:${port}: ${problem}`;
}

/**
 * Tries the address before the application listens on it, so that a busy port is one line naming
 * PORT rather than the framework's error log: undefined when it is free.
 */
export function checkListenAddress(host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (error) => resolve(listenProblem(error, host, port) ?? undefined));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve(undefined)));
  });
}
