import { subscribe } from 'node:diagnostics_channel';
import { context, trace } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { MongoDBInstrumentation } from '@opentelemetry/instrumentation-mongodb';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { FastifyInstance } from 'fastify';
import { installSpanHooks } from './span-hooks';

/** Probes and scrapes, every few seconds, would drown the traces that matter (the request log skips them too). */
const UNTRACED = /^\/(health|metrics)(\/|\?|$)/;

/** Query parameters that can carry a credential: a session token, Clerk's handshake, signed URLs. */
const REDACTED_QUERY_PARAMS = [
  '__session',
  '__clerk_db_jwt',
  '__clerk_handshake',
  'sig',
  'Signature',
  'X-Goog-Signature',
];

/**
 * OpenTelemetry's Node SDK, configured by the standard OTEL_* variables (endpoint, headers,
 * protocol, sampler, resource, propagators): traces only, exported over OTLP/HTTP. Metrics stay on
 * /metrics and logs on stdout, where each line of a request carries its trace_id and span_id.
 */
export function startTracing(): void {
  const sdk = new NodeSDK({
    // The service's name unless OTEL_SERVICE_NAME or OTEL_RESOURCE_ATTRIBUTES names it.
    serviceName:
      process.env.OTEL_SERVICE_NAME || /(^|,)\s*service\.name=/.test(process.env.OTEL_RESOURCE_ATTRIBUTES ?? '')
        ? undefined
        : 'clerk-user-sync',
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => UNTRACED.test(request.url ?? ''),
        redactedQueryParamsServer: REDACTED_QUERY_PARAMS,
        // Calls to Clerk use node:http (a deadline that closes their socket); others use fetch (undici,
        // below). Only calls made while serving a request are traced (not the exporter's own).
        requireParentforOutgoingSpans: true,
      }),
      // Commands outside a request (index builds at start, the reconciliation's lease) start no trace.
      new MongoDBInstrumentation({ requireParentSpan: true }),
      new UndiciInstrumentation({ requireParentforSpans: true }),
      new PinoInstrumentation({ disableLogSending: true }),
    ],
  });
  sdk.start();
  nameSpansByRoute();
  installSpanHooks({
    annotate: (attributes) => trace.getActiveSpan()?.setAttributes(attributes),
    flush: () => sdk.shutdown(),
  });
}

/**
 * A request's span is named by its route pattern (`POST /webhooks/clerk`, `http.route`), as the
 * http instrumentation does when a framework tells it the route: Fastify announces each instance
 * it creates, and a hook tells the route of each request.
 */
function nameSpansByRoute(): void {
  subscribe('fastify.initialization', (message) => {
    const { fastify } = message as { fastify: FastifyInstance };
    fastify.addHook('onRequest', (request, _reply, done) => {
      const metadata = getRPCMetadata(context.active());
      const route = request.routeOptions.url;
      if (metadata?.type === RPCType.HTTP && route !== undefined) metadata.route = route;
      done();
    });
  });
}
