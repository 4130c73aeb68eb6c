import { z } from 'zod';
import { optional } from './env-values';

// OpenTelemetry's standard variables (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/),
// read by OpenTelemetry's SDK itself; the schema checks the ones whose mistakes would otherwise
// only show as traces that never arrive.

const SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;
/** Traces leave over OTLP/HTTP only: the gRPC exporter is not part of the service. */
const PROTOCOLS = ['http/protobuf', 'http/json'] as const;

const httpUrl = optional(
  z.string().refine((url) => /^https?:\/\/[^/]/.test(url) && URL.canParse(url), 'must be an http(s) URL'),
);
const protocol = optional(z.enum(PROTOCOLS, { message: `must be one of ${PROTOCOLS.join(', ')}` }));

export const OTEL_ENV = {
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl,
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: httpUrl,
  OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: protocol,
  OTEL_SERVICE_NAME: optional(z.string()),
  OTEL_TRACES_SAMPLER: optional(z.enum(SAMPLERS, { message: `must be one of ${SAMPLERS.join(', ')}` })),
  OTEL_TRACES_SAMPLER_ARG: optional(
    z
      .string()
      .regex(/^(0(\.\d+)?|1(\.0+)?)$/, 'must be a sampling ratio from 0 to 1, such as 0.1')
      .transform(Number),
  ),
  OTEL_SDK_DISABLED: optional(z.enum(['true', 'false'], { message: 'must be true or false' })),
};

const otelSchema = z.object(OTEL_ENV);

/**
 * Whether traces are to be exported: an OTLP endpoint is set, the SDK is not disabled, and every
 * OTEL_* variable the schema knows is valid (an invalid one stops the start with the others).
 */
export function tracingConfigured(env: Record<string, string | undefined>): boolean {
  const parsed = otelSchema.safeParse(env);
  if (!parsed.success) return false;
  const { OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, OTEL_SDK_DISABLED } = parsed.data;
  return (
    (OTEL_EXPORTER_OTLP_ENDPOINT ?? OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) !== undefined && OTEL_SDK_DISABLED !== 'true'
  );
}
