package dev.tessera.serving.metrics;

import dev.tessera.serving.inference.ScoredRow;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tessera_inference_duration_seconds} (lookup + scoring + logging of one invocation) and
 * {@code tessera_predictions_total} (rows scored), labelled by endpoint, served model and model
 * version. A batch served by several models counts its latency once per (served model, version) and
 * its rows under each.
 *
 * <pre>{@code
 * long started = System.nanoTime();
 * List<ScoredRow> rows = inference.invoke("churn", request, null);
 * metrics.inference().observe("churn", rows, System.nanoTime() - started);
 * }</pre>
 */
public final class InferenceMetrics {
  private final Histogram duration;
  private final Counter predictions;

  InferenceMetrics(PrometheusRegistry registry) {
    this.duration =
        Histogram.builder()
            .name("tessera_inference_duration_seconds")
            .help("Time of a successful invocation (lookup, scoring and logging of its rows)")
            .labelNames("endpoint", "served_model", "model_version")
            .unit(Unit.SECONDS)
            .classicOnly()
            .classicUpperBounds(Buckets.LATENCY_SECONDS)
            .withoutExemplars()
            .register(registry);
    this.predictions =
        Counter.builder()
            .name("tessera_predictions_total")
            .help("Rows scored by successful invocations")
            .labelNames("endpoint", "served_model", "model_version")
            .withoutExemplars()
            .register(registry);
  }

  /** Records a successful invocation of {@code endpoint} that took {@code nanos}. */
  public void observe(String endpoint, List<ScoredRow> rows, long nanos) {
    if (rows.isEmpty()) {
      return;
    }
    double seconds = nanos / 1e9;
    ScoredRow first = rows.get(0);
    int same = 1;
    while (same < rows.size() && sameModel(first, rows.get(same))) {
      same++;
    }
    if (same == rows.size()) { // the usual case: one model served the batch
      record(endpoint, first.servedModel(), first.modelVersion(), seconds, rows.size());
      return;
    }
    Map<List<String>, Integer> groups = new LinkedHashMap<>();
    for (ScoredRow row : rows) {
      groups.merge(List.of(row.servedModel(), row.modelVersion()), 1, Integer::sum);
    }
    groups.forEach((model, n) -> record(endpoint, model.get(0), model.get(1), seconds, n));
  }

  private static boolean sameModel(ScoredRow a, ScoredRow b) {
    return a.servedModel().equals(b.servedModel()) && a.modelVersion().equals(b.modelVersion());
  }

  private void record(String endpoint, String servedModel, String version, double s, int n) {
    duration.labelValues(endpoint, servedModel, version).observe(s);
    predictions.labelValues(endpoint, servedModel, version).inc(n);
  }
}
