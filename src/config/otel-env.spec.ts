import { InvalidConfigError, parseConfig } from './config.schema';
import { tracingConfigured } from './otel-env';

const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector.internal:4318' };

describe('OpenTelemetry variables', () => {
  it('turn tracing on only with an OTLP endpoint (general or for traces) and the SDK not disabled', () => {
    expect(tracingConfigured({})).toBe(false);
    expect(tracingConfigured({ OTEL_SERVICE_NAME: 'users', OTEL_TRACES_SAMPLER: 'always_on' })).toBe(false);
    expect(tracingConfigured(endpoint)).toBe(true);
    expect(tracingConfigured({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://otlp.example/v1/traces' })).toBe(true);
    expect(tracingConfigured({ ...endpoint, OTEL_SDK_DISABLED: 'true' })).toBe(false);
    expect(tracingConfigured({ ...endpoint, OTEL_SDK_DISABLED: 'false' })).toBe(true);
    expect(tracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: ' ' })).toBe(false);
  });

  it('take blank values as unset, as compose passes them', () => {
    const blank = { OTEL_EXPORTER_OTLP_ENDPOINT: '', OTEL_TRACES_SAMPLER: '', OTEL_TRACES_SAMPLER_ARG: '' };
    expect(() => parseConfig(blank)).not.toThrow();
    expect(tracingConfigured(blank)).toBe(false);
  });

  it('accept the standard samplers, a ratio and the OTLP/HTTP protocols', () => {
    const env = {
      ...endpoint,
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.1',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf',
    };
    expect(() => parseConfig(env)).not.toThrow();
    expect(tracingConfigured(env)).toBe(true);
  });

  it.each([
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'collector:4318'],
    ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'grpc://collector:4317'],
    ['OTEL_EXPORTER_OTLP_PROTOCOL', 'grpc'],
    ['OTEL_TRACES_SAMPLER', 'sometimes'],
    ['OTEL_TRACES_SAMPLER_ARG', '10%'],
    ['OTEL_TRACES_SAMPLER_ARG', '1.5'],
    ['OTEL_SDK_DISABLED', 'yes'],
  ])('refuse %s=%s: the start names it, and tracing stays off', (name, value) => {
    const env = { ...endpoint, [name]: value };
    expect(() => parseConfig(env)).toThrow(InvalidConfigError);
    expect(() => parseConfig(env)).toThrow(name);
    expect(tracingConfigured(env)).toBe(false);
  });
});
