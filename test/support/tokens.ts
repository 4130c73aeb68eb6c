import { createHmac, generateKeyPairSync, KeyObject, randomBytes } from 'node:crypto';
import { b64url, signJwt } from '../../src/dev/session-token';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKeyPem: string;
  jwk: Record<string, unknown>;
}

/** A 2048-bit RSA key as Clerk uses for session tokens (verifyToken refuses smaller ones). */
export function createSigningKey(kid = `ins_${randomBytes(6).toString('hex')}`): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    kid,
    privateKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' },
  };
}

export interface SessionClaims {
  sub?: string;
  sid?: string;
  azp?: string;
  iss?: string;
  exp?: number;
  nbf?: number;
  iat?: number;
  org_id?: string;
  [claim: string]: unknown;
}

/** A Clerk-shaped session token, valid for a minute unless the claims say otherwise. */
export function sessionClaims(userId: string, overrides: SessionClaims = {}): SessionClaims {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: userId,
    sid: `sess_${randomBytes(8).toString('hex')}`,
    iss: 'https://clerk.example.test',
    azp: 'http://localhost:5173',
    iat: now - 5,
    nbf: now - 5,
    exp: now + 60,
    ...overrides,
  };
}

/** Signs RS256 like Clerk does (and as `npm run dev:token` does). */
export function mintToken(
  key: Pick<SigningKey, 'kid' | 'privateKey'>,
  claims: SessionClaims,
  header: Record<string, unknown> = {},
): string {
  return signJwt(key, claims, header);
}

/** Forgeries: an unsigned token, and the classic HS256-with-the-public-key confusion. */
export function unsignedToken(key: SigningKey, claims: SessionClaims): string {
  return `${b64url({ alg: 'none', typ: 'JWT', kid: key.kid })}.${b64url(claims)}.`;
}

export function hs256WithPublicKey(key: SigningKey, claims: SessionClaims): string {
  const signingInput = `${b64url({ alg: 'HS256', typ: 'JWT', kid: key.kid })}.${b64url(claims)}`;
  const mac = createHmac('sha256', key.publicKeyPem).update(signingInput).digest();
  return `${signingInput}.${b64url(mac)}`;
}
