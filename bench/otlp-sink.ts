import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * BENCH_OTEL: the service's tracing during the benchmark. `off` (the default): no OTEL_* variable,
 * as deployed without a collector; a ratio from 0 to 1 (`0.1`, `1`): traces sampled at that ratio
 * (the root of each request decides: no caller sends a traceparent) and exported over OTLP/HTTP to
 * a sink on loopback that reads each export and answers 200, as a collector would.
 */
interface TracingSetting {
  /** `off`, or the sampling ratio as given. */
  label: string;
  /** What the service's environment gets. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function tracingSetting(value = process.env.BENCH_OTEL ?? 'off'): Promise<TracingSetting> {
  if (value === 'off') return { label: 'off', env: {}, stop: async () => {} };
  const ratio = Number(value);
  if (!(ratio >= 0 && ratio <= 1)) throw new Error(`BENCH_OTEL must be off or a ratio from 0 to 1, not ${value}`);
  const sink: Server = createServer((request, response) => {
    request.resume().on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((listening) => sink.listen(0, '127.0.0.1', listening));
  return {
    label: value,
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(sink.address() as AddressInfo).port}`,
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: String(ratio),
    },
    stop: () => new Promise((closed) => sink.close(() => closed())),
  };
}
