import { context, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOnSampler, type ReadableSpan, type Span, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { Context } from '@opentelemetry/api';
import { TRACER_NAME } from './attributes';

/**
 * One tracer provider for the whole process, shared by every run. Each run is its own trace, and
 * a router hands every ended span to the collector registered for its trace id. Routing by trace
 * id (rather than a provider per run) also captures spans that services and libraries make through
 * the global OpenTelemetry API, as long as they run under the service span's context.
 */

/** Sends ended spans to the run that owns their trace, and to any extra processors (OTLP export). */
class RunSpanRouter implements SpanProcessor {
  private readonly collectors = new Map<string, ReadableSpan[]>();
  private readonly extra = new Set<SpanProcessor>();

  collect(traceId: string): ReadableSpan[] {
    const spans: ReadableSpan[] = [];
    this.collectors.set(traceId, spans);
    return spans;
  }

  release(traceId: string): void {
    this.collectors.delete(traceId);
  }

  add(processor: SpanProcessor): () => void {
    this.extra.add(processor);
    return () => {
      this.extra.delete(processor);
    };
  }

  onStart(span: Span, parentContext: Context): void {
    for (const p of this.extra) p.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    this.collectors.get(span.spanContext().traceId)?.push(span);
    for (const p of this.extra) p.onEnd(span);
  }

  async forceFlush(): Promise<void> {
    await Promise.all([...this.extra].map((p) => p.forceFlush()));
  }

  async shutdown(): Promise<void> {
    await Promise.all([...this.extra].map((p) => p.shutdown()));
  }
}

export interface RunTracing {
  /** The tracer the runner makes process, activity and service spans with. */
  readonly tracer: Tracer;
  /** Starts keeping the spans of one trace; call the returned function to stop and read them. */
  collect(traceId: string): () => ReadableSpan[];
  /** Adds a processor that sees every span of every run (e.g. an OTLP exporter); returns its remover. */
  addSpanProcessor(processor: SpanProcessor): () => void;
}

let shared: RunTracing | undefined;

export function getRunTracing(): RunTracing {
  if (shared) return shared;
  const router = new RunSpanRouter();
  const provider = new NodeTracerProvider({
    resource: defaultResource().merge(resourceFromAttributes({ 'service.name': 'weavergen' })),
    // Explicit so OTEL_TRACES_SAMPLER in the user's environment cannot drop a run's spans.
    sampler: new AlwaysOnSampler(),
    spanProcessors: [router],
  });
  // Without an async-hooks context manager `context.with` does not carry the service span into
  // the service's awaits. If the host already set one, that one does the same job.
  const contextManager = new AsyncLocalStorageContextManager();
  contextManager.enable();
  if (!context.setGlobalContextManager(contextManager)) contextManager.disable();
  // Lets libraries that use the global API (an SDK making its own spans) land in the run's trace.
  // When the host registered its own provider first, the runner's spans are still recorded.
  trace.setGlobalTracerProvider(provider);

  const tracer = provider.getTracer(TRACER_NAME);
  shared = {
    tracer,
    collect(traceId) {
      const spans = router.collect(traceId);
      return () => {
        router.release(traceId);
        return spans;
      };
    },
    addSpanProcessor: (processor) => router.add(processor),
  };
  return shared;
}
