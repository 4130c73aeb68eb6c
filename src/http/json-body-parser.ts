import { BadRequestException, NotFoundException } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';
import { jsonEntriesProblem, REQUEST_BODY_LIMITS } from './body-limits';
import { JSON_TOO_DEEP_MESSAGE, jsonDepthExceeds, MAX_JSON_DEPTH } from './json-depth';

/**
 * JSON bodies are parsed once their depth is known to be bounded, by secure-json-parse, which
 * refuses keys that would reach an object's prototype; each refusal says what was wrong. Routes
 * marked `rawBody` (the webhook) get the exact bytes instead, so the signature is checked first.
 *
 * Routing comes first: a path with no route is a 404 before its body is read, limited or parsed,
 * so that a webhook endpoint set to a wrong URL shows its sender a 404, not a body error.
 */
export function registerBodyParsers(fastify: FastifyInstance): void {
  // preParsing: after every onRequest hook (the request log, the security headers, CORS), before the body is read.
  fastify.addHook('preParsing', (request, _reply, payload, done) => {
    if (!request.is404) return done(null, payload);
    const hint = WEBHOOK_HINT.test(request.url.split('?')[0]) ? WEBHOOK_ROUTE : '';
    done(new NotFoundException(`Cannot ${request.method} ${request.url}${hint}`));
  });
  // JSON only: a body of any other type (Fastify's text/plain included) is a 415 naming application/json.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, raw, done) => {
    if ((request.routeOptions.config as { rawBody?: boolean }).rawBody) return done(null, raw);
    try {
      done(null, parseJsonBody(raw as Buffer));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}

/** A near miss of the webhook's path gets its right one. */
const WEBHOOK_HINT = /webhook/i;
const WEBHOOK_ROUTE = " (Clerk's webhooks are POST /webhooks/clerk)";

function parseJsonBody(raw: Buffer): unknown {
  if (raw.length === 0) throw new BadRequestException('The request body is empty');
  const text = raw.toString('utf8');
  if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) throw new BadRequestException(JSON_TOO_DEEP_MESSAGE);
  const tooMany = jsonEntriesProblem(text, REQUEST_BODY_LIMITS);
  if (tooMany) throw new BadRequestException(tooMany);
  try {
    return secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (error) {
    throw new BadRequestException(
      /prototype property/.test((error as Error).message)
        ? 'The request body has a forbidden key (__proto__ or constructor.prototype)'
        : 'The request body is not valid JSON',
    );
  }
}
