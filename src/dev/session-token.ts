import { createHash, createPrivateKey, createPublicKey, KeyObject, randomBytes, sign } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Where `npm run dev:setup` keeps the local session key (under .data/, which git ignores). */
export const DEV_SESSION_KEY_PATH = resolve('.data', 'dev-session-key.pem');

export const b64url = (value: object | string | Buffer) =>
  Buffer.from(typeof value === 'string' || Buffer.isBuffer(value) ? value : JSON.stringify(value)).toString(
    'base64url',
  );

/** A JWT signed RS256 as Clerk signs session tokens. */
export function signJwt(
  key: { kid: string; privateKey: KeyObject },
  claims: Record<string, unknown>,
  header: Record<string, unknown> = {},
): string {
  const head = b64url({ alg: 'RS256', typ: 'JWT', kid: key.kid, ...header });
  const body = b64url(claims);
  const signature = sign('RSA-SHA256', Buffer.from(`${head}.${body}`), key.privateKey);
  return `${head}.${body}.${b64url(signature)}`;
}

interface DevSessionKey {
  kid: string;
  privateKey: KeyObject;
  publicKeyPem: string;
}

/** The local key from its PEM file, or undefined when there is none. */
export function readDevSessionKey(path = DEV_SESSION_KEY_PATH): DevSessionKey | undefined {
  if (!existsSync(path)) return undefined;
  const privateKey = createPrivateKey(readFileSync(path, 'utf8'));
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  return {
    kid: `ins_dev_${createHash('sha256').update(spki).digest('hex').slice(0, 16)}`,
    privateKey,
    publicKeyPem: createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export interface DevSessionOptions {
  userId: string;
  orgId?: string;
  /** `org:admin`; v2 tokens carry it without the `org:` prefix. */
  orgRole?: string;
  /** The frontend's origin (the token's authorized party). */
  azp: string;
  ttlSeconds: number;
}

/** The claims of a Clerk session token, version 2: `sid`, `azp`, `v`, and the active organization as `o`. */
export function devSessionClaims({ userId, orgId, orgRole, azp, ttlSeconds }: DevSessionOptions) {
  const now = Math.floor(Date.now() / 1000);
  return {
    azp,
    exp: now + ttlSeconds,
    fva: [0, -1],
    iat: now,
    iss: 'https://clerk.localhost',
    nbf: now - 5,
    sid: `sess_dev_${randomBytes(10).toString('hex')}`,
    sts: 'active',
    sub: userId,
    v: 2,
    ...(orgId ? { o: { id: orgId, rol: (orgRole ?? 'org:member').replace(/^org:/, '') } } : {}),
  };
}
