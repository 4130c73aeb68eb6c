import { createPublicKey, randomInt, verify } from 'node:crypto';
import { verifyToken } from '@clerk/backend';
import Fastify from 'fastify';
import { MongoClient, MongoServerError } from 'mongodb';
import { Webhook } from 'svix';
import { MONGO_DRIVER_OPTIONS } from '../src/database/mongo-driver';
import { DEFAULT_LIMITS } from '../src/config/app-config';
import { connectionOptions } from '../src/database/connection-options';
import { toClerkUserSnapshot } from '../src/clerk/clerk-user.schema';
import { FAVORITE_COLORS } from '../src/users/user.schema';
import { entityTag, noneMatchHits } from '../src/http/conditional-get';

/**
 * The baseline the benchmarks compare the service with: a bare Fastify handler (no Nest) doing
 * only the essential work of each route, on the same database server:
 * - webhook: svix verify of the raw bytes + the same conditional upsert of the user;
 * - GET /me: the session token verified + the same indexed reads;
 * - PATCH /me: the session token verified + the same conditional update.
 * BASELINE_VERIFY chooses how a token is verified: `crypto` (the limit: node:crypto against a key
 * parsed once, then exp, nbf and azp, every time) or `sdk` (@clerk/backend's verifyToken).
 */
async function main(): Promise<void> {
  const { MONGODB_URI, WEBHOOK_SECRET, JWT_KEY, PORT } = process.env;
  // The same guarantee as the service: acknowledged once durable (unless the URI says otherwise).
  const client = await MongoClient.connect(MONGODB_URI!, {
    ...MONGO_DRIVER_OPTIONS,
    ...connectionOptions(MONGODB_URI!, DEFAULT_LIMITS.databaseTimeoutMs),
  });
  const users = client.db().collection<{ _id: string } & Record<string, unknown>>('users');
  const webhook = new Webhook(WEBHOOK_SECRET!);
  const app = Fastify({ bodyLimit: 1024 * 1024 });
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.post('/webhooks/clerk', async (request, reply) => {
    let event: { type: string; data: unknown };
    try {
      webhook.verify(request.body as Buffer, request.headers as Record<string, string>);
      event = JSON.parse((request.body as Buffer).toString('utf8')) as typeof event;
    } catch {
      return reply.code(400).send({ statusCode: 400 });
    }
    const { id, version, ...fields } = toClerkUserSnapshot(event.data);
    const filter = { _id: id, deletedAt: null, clerkUpdatedAt: { $lt: version } };
    const update = {
      $set: { ...fields, clerkUpdatedAt: version, writtenBy: request.headers['svix-id'], updatedAt: new Date() },
      $setOnInsert: { favoriteColor: FAVORITE_COLORS[randomInt(3)], createdAt: new Date() },
    };
    try {
      await users.updateOne(filter, update, { upsert: true });
    } catch (error) {
      if ((error as MongoServerError).code !== 11000) throw error;
    }
    return { received: true };
  });

  // The user's live memberships, then their live organizations: the same two indexed reads as the service.
  const memberships = client
    .db()
    .collection<{ _id: string; organizationId: string; userId: string; role: string; permissions?: string[] }>(
      'organization_memberships',
    );
  const organizationsCollection = client.db().collection<{ _id: string; name?: string }>('organizations');
  await memberships.createIndex({ userId: 1, deletedAt: 1 });
  const organizationsOf = async (userId: string) => {
    const live = await memberships.find({ userId, deletedAt: null }).toArray();
    if (!live.length) return [];
    const ids = live.map((membership) => membership.organizationId);
    return organizationsCollection.find({ _id: { $in: ids }, deletedAt: null }).toArray();
  };

  const authorizedParties = (process.env.AUTHORIZED_PARTIES ?? '').split(',').filter(Boolean);
  const key = createPublicKey(JWT_KEY!);
  const SKEW_S = 5;
  /** RS256 as Clerk signs it, checked with node:crypto alone; the same claims as verifyToken. */
  const verifyWithCrypto = (token: string): { sub: string } | undefined => {
    const [head, body, signature] = token.split('.');
    if (!signature) return undefined;
    try {
      const header = JSON.parse(Buffer.from(head, 'base64url').toString()) as { alg?: string };
      if (header.alg !== 'RS256') return undefined;
      const signed = Buffer.from(`${head}.${body}`);
      if (!verify('RSA-SHA256', signed, key, Buffer.from(signature, 'base64url'))) return undefined;
      const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as {
        sub: string;
        exp: number;
        nbf?: number;
        azp?: string;
      };
      const now = Date.now() / 1000;
      if (claims.exp + SKEW_S <= now || (claims.nbf !== undefined && claims.nbf - SKEW_S > now)) return undefined;
      if (claims.azp && authorizedParties.length && !authorizedParties.includes(claims.azp)) return undefined;
      return claims;
    } catch {
      return undefined;
    }
  };
  const session = async (authorization: string | undefined) => {
    const token = authorization?.slice('Bearer '.length) ?? '';
    if (process.env.BASELINE_VERIFY !== 'sdk') return verifyWithCrypto(token);
    return verifyToken(token, {
      jwtKey: JWT_KEY,
      authorizedParties: authorizedParties.length ? authorizedParties : undefined,
    }).catch(() => undefined) as Promise<{ sub: string } | undefined>;
  };

  app.get('/me', async (request, reply) => {
    const claims = await session(request.headers.authorization);
    if (!claims) return reply.code(401).send({ statusCode: 401 });
    const [profile, organizations] = await Promise.all([
      users.findOne({ _id: claims.sub }),
      organizationsOf(claims.sub),
    ]);
    if (!profile || profile.deletedAt) return reply.code(404).send({ statusCode: 404 });
    const body = JSON.stringify({ userId: claims.sub, profile, organizations });
    const tag = entityTag(body);
    reply.header('etag', tag).header('cache-control', 'private, no-cache');
    if (noneMatchHits(request.headers['if-none-match'], tag)) return reply.code(304).send();
    return reply.type('application/json').send(body);
  });

  // A page of members: the caller's live membership and its permission, then the same indexed read
  // of 100 memberships by (created_at, id) and their users.
  await memberships.createIndex({ organizationId: 1, deletedAt: 1, clerkCreatedAt: 1, _id: 1 });
  app.get('/organizations/:orgId/members', async (request, reply) => {
    const claims = await session(request.headers.authorization);
    if (!claims) return reply.code(401).send({ statusCode: 401 });
    const { orgId } = request.params as { orgId: string };
    const [organization, own] = await Promise.all([
      organizationsCollection.findOne({ _id: orgId, deletedAt: null }),
      memberships.findOne({ userId: claims.sub, organizationId: orgId, deletedAt: null }),
    ]);
    if (!organization || !own) return reply.code(404).send({ statusCode: 404 });
    if (!own.permissions?.includes('org:sys_memberships:read')) return reply.code(403).send({ statusCode: 403 });
    const page = await memberships
      .find({ organizationId: orgId, deletedAt: null }, { sort: { clerkCreatedAt: 1, _id: 1 }, limit: 101 })
      .toArray();
    const people = await users.find({ _id: { $in: page.slice(0, 100).map((m) => m.userId) } }).toArray();
    const byId = new Map(people.map((person) => [person._id, person]));
    return { data: page.slice(0, 100).map((m) => ({ ...m, user: byId.get(m.userId) })) };
  });

  app.patch('/me', async (request, reply) => {
    const claims = await session(request.headers.authorization);
    if (!claims) return reply.code(401).send({ statusCode: 401 });
    const { favoriteColor } = JSON.parse((request.body as Buffer).toString()) as { favoriteColor: string };
    if (!(FAVORITE_COLORS as readonly string[]).includes(favoriteColor))
      return reply.code(400).send({ statusCode: 400 });
    const profile = await users.findOneAndUpdate(
      { _id: claims.sub, deletedAt: null },
      { $set: { favoriteColor, updatedAt: new Date() } },
      { returnDocument: 'after' },
    );
    if (!profile) return reply.code(404).send({ statusCode: 404 });
    return { userId: claims.sub, profile };
  });

  app.get('/health', async () => ({ ok: true }));
  await app.listen({ port: Number(PORT), host: '127.0.0.1' });
  process.on(
    'SIGTERM',
    () =>
      void app
        .close()
        .then(() => client.close())
        .then(() => process.exit(0)),
  );
}

void main();
