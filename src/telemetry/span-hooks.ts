/**
 * What the service tells the tracing layer, without loading OpenTelemetry: the SDK (tracing-sdk.ts)
 * installs these hooks when tracing is configured; otherwise each call is one check of `undefined`.
 */
interface SpanHooks {
  /** Adds attributes to the span of the request being served. */
  annotate(attributes: Record<string, string>): void;
  /** Exports the spans still buffered (at shutdown). */
  flush(): Promise<void>;
}

let hooks: SpanHooks | undefined;

export const installSpanHooks = (installed: SpanHooks): void => void (hooks = installed);

/** Attributes of the current request's span; unset values are left out. */
export function annotateRequestSpan(attributes: Record<string, string | undefined>): void {
  if (!hooks) return;
  const set: Record<string, string> = {};
  for (const [key, value] of Object.entries(attributes)) if (value !== undefined) set[key] = value;
  hooks.annotate(set);
}

export const flushTraces = async (): Promise<void> => hooks?.flush();
