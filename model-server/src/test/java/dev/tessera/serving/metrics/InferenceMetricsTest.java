package dev.tessera.serving.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.serving.inference.ScoredRow;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InferenceMetricsTest {
  private static ScoredRow row(String servedModel, String version) {
    return new ScoredRow("C-1", 0.4, 0, servedModel, "churn", version, true, true);
  }

  private static List<PrometheusText.Sample> scrape(ServingMetrics metrics) {
    return PrometheusText.parse(new String(metrics.scrape(), StandardCharsets.UTF_8));
  }

  @Test
  void shouldCountABatchOncePerServedModelAndItsRowsUnderEach() {
    var metrics = ServingMetrics.create();
    metrics
        .inference()
        .observe(
            "churn",
            List.of(row("a-1", "1"), row("b-2", "2"), row("a-1", "1"), row("a-1", "1")),
            2_000_000);
    var samples = scrape(metrics);
    var a = Map.of("endpoint", "churn", "served_model", "a-1", "model_version", "1");
    var b = Map.of("endpoint", "churn", "served_model", "b-2", "model_version", "2");
    assertThat(PrometheusText.value(samples, "tessera_inference_duration_seconds_count", a))
        .isEqualTo(1);
    assertThat(PrometheusText.value(samples, "tessera_inference_duration_seconds_count", b))
        .isEqualTo(1);
    assertThat(PrometheusText.value(samples, "tessera_inference_duration_seconds_sum", a))
        .isEqualTo(0.002);
    assertThat(PrometheusText.value(samples, "tessera_predictions_total", a)).isEqualTo(3);
    assertThat(PrometheusText.value(samples, "tessera_predictions_total", b)).isEqualTo(1);
  }

  @Test
  void shouldRecordNothingForAnEmptyBatch() {
    var metrics = ServingMetrics.create();
    metrics.inference().observe("churn", List.of(), 1_000);
    assertThat(scrape(metrics))
        .noneMatch(s -> s.name().startsWith("tessera_predictions_total"))
        .noneMatch(s -> s.name().startsWith("tessera_inference_duration_seconds"));
  }

  @Test
  void shouldLabelRequestsByRouteMethodAndStatus() {
    var metrics = ServingMetrics.create();
    metrics.requests().observe("/features/{view}/{key}", "GET", 200, 500_000);
    metrics.requests().observe("/features/{view}/{key}", "GET", 200, 700_000);
    assertThat(
            PrometheusText.value(
                scrape(metrics),
                "tessera_request_duration_seconds_count",
                Map.of("route", "/features/{view}/{key}", "method", "GET", "status", "200")))
        .isEqualTo(2);
  }
}
