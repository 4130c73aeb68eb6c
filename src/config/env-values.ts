import { createPublicKey } from 'node:crypto';
import proxyAddr from '@fastify/proxy-addr';
import ConnectionString from 'mongodb-connection-string-url';
import { z } from 'zod';

// The shapes of single environment values, for the configuration schema.

/** Blank values (`PORT=` in .env) count as unset. */
export const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => {
    if (typeof value !== 'string') return value;
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }, schema.optional());

export const splitList = (raw: string) => raw.split(/[\s,]+/).filter(Boolean);

const isOrigin = (value: string) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
};

export const originList = optional(
  z
    .string()
    .transform((raw) => splitList(raw).map((origin) => origin.replace(/\/$/, '')))
    .refine((origins) => origins.every(isOrigin), {
      message: 'must be comma-separated origins such as https://app.example.com (scheme and host, no path)',
    }),
);

// Svix secrets are "whsec_" followed by the base64 of at least 16 random bytes.
export const WEBHOOK_SECRET = /^whsec_[A-Za-z0-9+/]{22,}={0,2}$/;

export const isRsaPublicKey = (pem: string) => {
  try {
    return createPublicKey(pem).asymmetricKeyType === 'rsa';
  } catch {
    return false;
  }
};

export const isMongoUri = (uri: string) => {
  try {
    new ConnectionString(uri);
    return true;
  } catch {
    return false;
  }
};

const TRUST_PROXY_MESSAGE =
  'must be true, false, or comma-separated proxy addresses or ranges (10.0.0.1, 10.0.0.0/8, loopback, uniquelocal)';

const isTrustList = (list: string[]) => {
  try {
    proxyAddr.compile(list);
    return list.length > 0;
  } catch {
    return false;
  }
};

/** TRUST_PROXY: whom to believe about X-Forwarded-For and X-Forwarded-Proto. */
export const trustProxy = optional(
  z.string().transform((raw, ctx): boolean | string[] => {
    if (/^(true|false)$/i.test(raw)) return raw.toLowerCase() === 'true';
    const list = splitList(raw);
    if (isTrustList(list)) return list;
    ctx.addIssue({ code: 'custom', message: TRUST_PROXY_MESSAGE });
    return z.NEVER;
  }),
);

/** A number of seconds above 0 and at most `max`; fractions allowed (tests use short ones). */
export const seconds = (max: number) =>
  optional(
    z
      .string()
      .regex(/^\d+(\.\d+)?$/, `must be a number of seconds above 0 and at most ${max}, such as 30 or 0.5`)
      .transform(Number)
      .refine((value) => value > 0 && value <= max, `must be a number of seconds above 0 and at most ${max}`),
  );

/** A whole number from 1 to `max`. */
export const count = (max: number) =>
  optional(
    z
      .string()
      .regex(/^\d+$/, `must be a whole number from 1 to ${max}`)
      .transform(Number)
      .refine((value) => value >= 1 && value <= max, `must be a whole number from 1 to ${max}`),
  );
