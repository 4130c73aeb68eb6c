import { createHash } from 'node:crypto';
import { applyDecorators } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import type { FastifyInstance } from 'fastify';

/** What a cacheable answer may be cached as: by the browser only, and revalidated on every use. */
const CACHE_CONTROL = 'private, no-cache';

/** A strong entity tag of the answer's bytes: it changes whenever anything in the body does. */
export function entityTag(payload: string | Buffer): string {
  return `"${createHash('sha256').update(payload).digest('base64url').slice(0, 27)}"`;
}

/** Whether an `If-None-Match` header names this tag (`*`, a list, weak or strong, as RFC 9110's weak comparison). */
export function noneMatchHits(ifNoneMatch: string | undefined, tag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === tag);
}

/**
 * Marks a GET route as cacheable: its 200 answers carry an `ETag` (a hash of the body) and
 * `Cache-Control: private, no-cache`, and a request whose `If-None-Match` names the tag gets
 * `304` with no body (`conditionalGets`). Declares the 304 and the header in OpenAPI.
 */
export function ConditionalGet(): MethodDecorator {
  return applyDecorators(
    RouteConfig({ conditionalGet: true }),
    ApiHeader({
      name: 'If-None-Match',
      required: false,
      description: 'The ETag of an answer the client holds: 304 with no body when it is still current',
    }),
    ApiResponse({
      status: 304,
      description: 'Not modified: the ETag in If-None-Match is still current (no body)',
      headers: { ETag: { description: 'The entity tag', schema: { type: 'string' } } },
    }),
  );
}

/**
 * Answers conditional GETs on the routes marked `ConditionalGet`, from the serialized body, so
 * that the tag covers exactly the bytes sent. Other routes and statuses pass untouched.
 */
export function conditionalGets(fastify: FastifyInstance): void {
  fastify.addHook('onSend', async (request, reply, payload) => {
    const marked = (request.routeOptions.config as { conditionalGet?: boolean }).conditionalGet;
    if (!marked || reply.statusCode !== 200 || (typeof payload !== 'string' && !Buffer.isBuffer(payload))) {
      return payload;
    }
    const tag = entityTag(payload);
    reply.header('etag', tag).header('cache-control', CACHE_CONTROL);
    if (!noneMatchHits(request.headers['if-none-match'], tag)) return payload;
    reply.code(304).removeHeader('content-type').removeHeader('content-length');
    return null;
  });
}
