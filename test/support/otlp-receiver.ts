import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One span as an OTLP/JSON export carries it, its attributes flattened to plain values. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  /** OTLP's SpanKind: 1 internal, 2 server, 3 client. */
  kind: number;
  attributes: Record<string, unknown>;
  /** The resource's attributes (service.name…). */
  resource: Record<string, unknown>;
}

/** One POST the receiver got: its path and content type; spans when it was OTLP/JSON. */
interface ReceivedExport {
  path: string;
  contentType: string;
  bytes: number;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}
interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}

const valueOf = (value: OtlpValue): unknown =>
  value.stringValue ?? (value.intValue !== undefined ? Number(value.intValue) : (value.doubleValue ?? value.boolValue));
const flatten = (attributes: OtlpAttribute[] = []) =>
  Object.fromEntries(attributes.map(({ key, value }) => [key, valueOf(value)]));

/**
 * An OpenTelemetry collector's OTLP/HTTP endpoint on loopback (`/v1/traces`), as a service exports
 * to one: it answers 200 to every export, keeps what each POST was, and decodes OTLP/JSON spans.
 */
export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  readonly exports: ReceivedExport[] = [];
  private readonly server: Server;

  private constructor() {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks);
        const contentType = request.headers['content-type'] ?? '';
        this.exports.push({ path: request.url ?? '', contentType, bytes: body.length });
        if (contentType.startsWith('application/json')) this.collect(JSON.parse(body.toString()));
        response.writeHead(200, { 'content-type': contentType || 'application/json' }).end('{}');
      });
    });
  }

  static async start(): Promise<OtlpReceiver> {
    const receiver = new OtlpReceiver();
    await new Promise<void>((done) => receiver.server.listen(0, '127.0.0.1', done));
    return receiver;
  }

  /** What OTEL_EXPORTER_OTLP_ENDPOINT is set to: the SDK appends /v1/traces. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Waits until a span matches, for the batch processor exports every few hundred ms at best. */
  async waitForSpan(match: (span: ReceivedSpan) => boolean, timeoutMs = 10_000): Promise<ReceivedSpan> {
    const started = Date.now();
    for (;;) {
      const found = this.spans.find(match);
      if (found) return found;
      if (Date.now() - started > timeoutMs) throw new Error(`no such span among ${this.spans.length} received`);
      await new Promise((done) => setTimeout(done, 50));
    }
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((done) => this.server.close(done));
  }

  private collect(request: {
    resourceSpans?: {
      resource?: { attributes?: OtlpAttribute[] };
      scopeSpans?: { spans?: (Omit<ReceivedSpan, 'attributes' | 'resource'> & { attributes?: OtlpAttribute[] })[] }[];
    }[];
  }): void {
    for (const { resource, scopeSpans = [] } of request.resourceSpans ?? []) {
      for (const { spans = [] } of scopeSpans) {
        for (const span of spans) {
          this.spans.push({
            ...span,
            parentSpanId: span.parentSpanId ?? '',
            attributes: flatten(span.attributes),
            resource: flatten(resource?.attributes),
          });
        }
      }
    }
  }
}
