import proxyAddr from '@fastify/proxy-addr';

/** Whom to believe about X-Forwarded-For and -Proto: TRUST_PROXY, trusting none by default. */
export function proxyTrust(setting: boolean | string[]): (address: string, hop: number) => boolean {
  if (typeof setting === 'boolean') return () => setting;
  return proxyAddr.compile(setting);
}
