import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from '../support/http';
import { OtlpReceiver } from '../support/otlp-receiver';
import { RunningService, startService } from '../support/service-process';

/**
 * What tracing costs when it is not configured: neither OpenTelemetry's SDK nor any instrumentation
 * is loaded (only @opentelemetry/api, the no-op API that prom-client always loads). A probe
 * preloaded into the built service counts, as the process exits, the other OpenTelemetry modules
 * it loaded; the configured service is the counter-check (and shows that the spans still buffered
 * at a graceful shutdown are exported, over OTLP's default protobuf).
 */
const probe = join(mkdtempSync(join(tmpdir(), 'otel-probe-')), 'probe.js');
writeFileSync(
  probe,
  `process.on('exit', () => require('node:fs').writeSync(1, JSON.stringify({ otelModules: Object.keys(require.cache).filter((path) => /@opentelemetry[\\\\/](?!api[\\\\/])/.test(path)).length }) + '\\n'));`,
);

let receiver: OtlpReceiver;
beforeAll(async () => (receiver = await OtlpReceiver.start()));
afterAll(() => receiver.stop());

/** Serves one request, stops the service as an orchestrator does (SIGTERM), and reads the probe. */
async function loadedOtelModules(service: RunningService): Promise<number> {
  try {
    expect((await request(`${service.url}/me`)).status).toBe(401);
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    const line = service.logLines().find((entry) => 'otelModules' in entry);
    return line!.otelModules as number;
  } finally {
    await service.stop();
  }
}

it('loads no OpenTelemetry SDK or instrumentation when no OTLP endpoint is set', async () => {
  const service = await startService('tracing-off', { LOG_FORMAT: 'json', NODE_OPTIONS: `--require ${probe}` });
  expect(await loadedOtelModules(service)).toBe(0);
});

it('loads the SDK when OTEL_EXPORTER_OTLP_ENDPOINT is set, and exports what it holds at shutdown', async () => {
  const service = await startService('tracing-on', {
    LOG_FORMAT: 'json',
    NODE_OPTIONS: `--require ${probe}`,
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
  });
  expect(await loadedOtelModules(service)).toBeGreaterThan(0);
  expect(receiver.exports).toEqual([
    expect.objectContaining({ path: '/v1/traces', contentType: 'application/x-protobuf' }),
  ]);
  expect(receiver.exports[0].bytes).toBeGreaterThan(0);
});

it('leaves tracing off with OTEL_SDK_DISABLED=true', async () => {
  const service = await startService('tracing-disabled', {
    LOG_FORMAT: 'json',
    NODE_OPTIONS: `--require ${probe}`,
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_SDK_DISABLED: 'true',
  });
  expect(await loadedOtelModules(service)).toBe(0);
});
