package dev.tessera.serving.metrics;

import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

/**
 * {@code tessera_request_duration_seconds}: the time of every HTTP request, labelled by route
 * template (e.g. {@code /serving-endpoints/{name}/invocations}, never the raw path, so the label
 * set stays small), method and status.
 *
 * <pre>{@code
 * metrics.requests().observe("/features/{view}/{key}", "GET", 200, elapsedNanos);
 * }</pre>
 */
public final class RequestMetrics {
  private final Histogram duration;

  RequestMetrics(PrometheusRegistry registry) {
    this.duration =
        Histogram.builder()
            .name("tessera_request_duration_seconds")
            .help("Time to answer an HTTP request, by route template, method and status")
            .labelNames("route", "method", "status")
            .unit(Unit.SECONDS)
            .classicOnly()
            .classicUpperBounds(Buckets.LATENCY_SECONDS)
            .withoutExemplars()
            .register(registry);
  }

  /** Records one request that took {@code nanos}. */
  public void observe(String route, String method, int status, long nanos) {
    duration.labelValues(route, method, Buckets.status(status)).observe(nanos / 1e9);
  }
}
