package io.pando.aggregator.tracing;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Turns tracing on in every in-process test: the spans go to memory, where tests read them.
 */
public class TestSpans {
  public static final InMemorySpanExporter EXPORTER = InMemorySpanExporter.create();

  @Produces
  @Singleton
  SpanProcessor inMemory() {
    return SimpleSpanProcessor.create(EXPORTER);
  }
}
