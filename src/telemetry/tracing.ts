import { tracingConfigured } from '../config/otel-env';
import { readEnvironment } from '../config/read-environment';

/**
 * Imported first by main.ts: when an OTLP endpoint is configured (the environment or .env), starts
 * OpenTelemetry's SDK before Node's http, the MongoDB driver and pino are loaded, so that their
 * instrumentations patch them as they load. Otherwise neither the SDK nor an instrumentation is loaded.
 */
const env = readEnvironment();
if (tracingConfigured(env)) {
  // The SDK reads its variables from process.env; .env's join them as @nestjs/config's do (the
  // environment wins).
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith('OTEL_') && process.env[name] === undefined) process.env[name] = value;
  }
  // A synchronous require behind the check: the SDK must be running before main.ts's next import.
  (require('./tracing-sdk') as typeof import('./tracing-sdk')).startTracing();
}
