package io.pando.aggregator.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.pando.aggregator.config.InstanceName;
import io.pando.aggregator.config.PandoConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * OpenTelemetry tracing, the one place spans are made: a SERVER span per DAP request ({@link
 * TraceFilter}), one per job step ({@code JobRunner}), a CLIENT span per request to the peer
 * ({@code HelperClient}), with the W3C trace context ({@code traceparent}) carried in the
 * requests between leader and helper. Spans go to the OTLP/HTTP endpoint {@code
 * pando.tracing.otlp-endpoint} (and to any {@link SpanProcessor} bean); with neither, tracing is
 * the no-op implementation and costs nothing.
 */
@ApplicationScoped
public class Tracing {
  private static final Logger LOG = Logger.getLogger(Tracing.class);
  public static final AttributeKey<String> TASK_ID = AttributeKey.stringKey("dap.task_id");
  public static final AttributeKey<String> JOB_ID = AttributeKey.stringKey("dap.job_id");
  public static final AttributeKey<String> REPORT_ID = AttributeKey.stringKey("dap.report_id");
  public static final AttributeKey<Long> HTTP_STATUS =
      AttributeKey.longKey("http.response.status_code");
  private static final TextMapGetter<UnaryOperator<String>> HEADERS = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(UnaryOperator<String> carrier) {
      return List.of("traceparent", "tracestate");
    }

    @Override
    public String get(UnaryOperator<String> carrier, String key) {
      return carrier == null ? null : carrier.apply(key);
    }
  };

  private final OpenTelemetry otel;
  private final SdkTracerProvider provider;
  private final Tracer tracer;

  /** Tracing off, for code built outside CDI (unit tests). */
  public static Tracing noop() {
    return new Tracing();
  }

  private Tracing() {
    provider = null;
    otel = OpenTelemetry.noop();
    tracer = otel.getTracer("io.pando.aggregator");
  }

  @Inject
  public Tracing(PandoConfig config, @Any Instance<SpanProcessor> processors) {
    List<SpanProcessor> all = new ArrayList<>();
    processors.forEach(all::add);
    config.tracing().otlpEndpoint().filter(e -> !e.isBlank()).ifPresent(endpoint -> {
      String url = endpoint.endsWith("/v1/traces") ? endpoint
          : endpoint.replaceAll("/+$", "") + "/v1/traces";
      all.add(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder().setEndpoint(url).build())
          .build());
      LOG.infof("tracing: spans exported to %s", url);
    });
    if (all.isEmpty()) {
      provider = null;
      otel = OpenTelemetry.noop();
    } else {
      SdkTracerProviderBuilder b = SdkTracerProvider.builder()
          .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(
              config.tracing().sampleRatio())))
          .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
              AttributeKey.stringKey("service.name"), "pando-aggregator",
              AttributeKey.stringKey("service.instance.id"), InstanceName.of(config)))));
      all.forEach(b::addSpanProcessor);
      provider = b.build();
      otel = OpenTelemetrySdk.builder().setTracerProvider(provider)
          .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
          .build();
    }
    tracer = otel.getTracer("io.pando.aggregator");
  }

  public Tracer tracer() {
    return tracer;
  }

  /** A span of {@code kind} under the current context (not yet current itself). */
  public Span start(String name, SpanKind kind) {
    return tracer.spanBuilder(name).setSpanKind(kind).startSpan();
  }

  /** A SERVER span whose parent is the trace context a request carries, if any. */
  public Span startServer(String name, UnaryOperator<String> headers) {
    Context parent = otel.getPropagators().getTextMapPropagator()
        .extract(Context.root(), headers, HEADERS);
    return tracer.spanBuilder(name).setParent(parent).setSpanKind(SpanKind.SERVER).startSpan();
  }

  /** Writes the current trace context into an outgoing request's headers. */
  public void inject(BiConsumer<String, String> header) {
    otel.getPropagators().getTextMapPropagator().inject(Context.current(), header,
        (carrier, key, value) -> carrier.accept(key, value));
  }

  @PreDestroy
  void close() {
    if (provider != null) {
      provider.close();
    }
  }
}
