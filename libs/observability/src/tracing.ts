import { context, propagation, SpanKind, SpanStatusCode, trace, type Context } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, NoopSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { AppConfig } from '../../config/src/config';

/**
 * OpenTelemetry tracing of one process: spans exported by OTLP/HTTP to
 * OTEL_EXPORTER_OTLP_ENDPOINT when it is set, nothing otherwise (the processor is a no-op and no
 * tracer provider is registered, so every span is a non-recording one).
 */
export interface Tracing {
  enabled: boolean;
  resource: Resource;
  /** The processor the worker's workflow span exporter (sink) hands its spans to. */
  spanProcessor: SpanProcessor;
  shutdown(): Promise<void>;
}

export function startTracing(config: Pick<AppConfig, 'tracing'>, service: 'api' | 'worker'): Tracing {
  const resource = new Resource({ 'service.name': `account-center-${service}` });
  const endpoint = config.tracing.otlpEndpoint;
  if (!endpoint) {
    return {
      enabled: false,
      resource,
      spanProcessor: new NoopSpanProcessor(),
      shutdown: async () => undefined,
    };
  }
  const spanProcessor = new BatchSpanProcessor(
    new OTLPTraceExporter({ url: `${endpoint.replace(/\/$/, '')}/v1/traces` }),
    { scheduledDelayMillis: 1000 },
  );
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  // The global tracer provider, the async-hooks context manager and the W3C propagator.
  provider.register();
  return { enabled: true, resource, spanProcessor, shutdown: () => provider.shutdown() };
}

interface TracedRequest {
  method: string;
  path: string;
  baseUrl: string;
  headers: Record<string, string | string[] | undefined>;
  correlationId?: string;
  route?: unknown;
  otelContext?: Context;
}

interface TracedResponse {
  statusCode: number;
  once(event: 'finish', listener: () => void): unknown;
}

/**
 * The HTTP layer's server span: one per request, continuing the caller's trace (`traceparent`),
 * named by the route's pattern once routed, with the correlation ID as an attribute. The
 * Temporal client interceptor makes the workflow's spans its children.
 */
export function httpTracingMiddleware() {
  const tracer = trace.getTracer('account-center-api');
  return (req: TracedRequest, res: TracedResponse, next: () => void): void => {
    const parent = propagation.extract(context.active(), req.headers);
    const span = tracer.startSpan(
      `${req.method}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': req.method,
          'url.path': req.path,
          ...(req.correlationId ? { 'correlation.id': req.correlationId } : {}),
        },
      },
      parent,
    );
    res.once('finish', () => {
      const routePath =
        typeof req.route === 'object' && req.route !== null
          ? (req.route as { path?: unknown }).path
          : undefined;
      if (typeof routePath === 'string') {
        span.setAttribute('http.route', `${req.baseUrl}${routePath}`);
        span.updateName(`${req.method} ${req.baseUrl}${routePath}`);
      }
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    const active = trace.setSpan(parent, span);
    req.otelContext = active;
    context.with(active, next);
  };
}

/** Re-enters the request's trace context after the body parser (which resumes from stream events). */
export function tracingScopeMiddleware(req: TracedRequest, _res: unknown, next: () => void): void {
  if (req.otelContext) context.with(req.otelContext, next);
  else next();
}
