package dev.tessera.serving.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.serving.http.ServingApiFixture.Reply;
import dev.tessera.serving.metrics.PrometheusText;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** {@code GET /metrics} after real invocations, read as the Prometheus text format. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class MetricsApiTest {
  private ServingApiFixture api;

  @BeforeAll
  void start() {
    // No tokens on loopback: /metrics is open, as every route is.
    api = new ServingApiFixture(3, 2048);
  }

  @AfterAll
  void stop() {
    api.close();
  }

  @Test
  void shouldExposeInferenceLatencyByEndpointServedModelAndVersion() {
    Reply invoked =
        api.post(
            "/serving-endpoints/churn/invocations",
            "{\"dataframe_records\":[{\"customer_id\":\"C-1\"},{\"customer_id\":\"C-2\"}]}");
    assertThat(invoked.status()).as(invoked.body()).isEqualTo(200);
    Reply oip =
        api.post(
            "/v2/models/churn/infer",
            "{\"inputs\":[{\"name\":\"customer_id\",\"datatype\":\"BYTES\",\"shape\":[1],"
                + "\"data\":[\"C-3\"]}]}");
    assertThat(oip.status()).as(oip.body()).isEqualTo(200);

    Reply r = api.get("/metrics");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    var samples = PrometheusText.parse(r.body());
    var labels = Map.of("endpoint", "churn", "served_model", "churn_model-1", "model_version", "1");
    assertThat(PrometheusText.value(samples, "tessera_inference_duration_seconds_count", labels))
        .isEqualTo(2);
    assertThat(PrometheusText.value(samples, "tessera_predictions_total", labels)).isEqualTo(3);
    assertThat(samples)
        .anySatisfy(
            s -> {
              assertThat(s.name()).isEqualTo("tessera_inference_duration_seconds_bucket");
              assertThat(s.labels()).containsAllEntriesOf(labels).containsEntry("le", "+Inf");
              assertThat(s.value()).isEqualTo(2);
            });
    assertThat(
            PrometheusText.value(
                samples,
                "tessera_request_duration_seconds_count",
                Map.of(
                    "route", "/serving-endpoints/{name}/invocations",
                    "method", "POST",
                    "status", "200")))
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void shouldCountRequestsThatMatchNoRouteUnderOneLabel() {
    assertThat(api.get("/no/such/route/42").status()).isEqualTo(404);
    var samples = PrometheusText.parse(api.get("/metrics").body());
    assertThat(
            PrometheusText.value(
                samples,
                "tessera_request_duration_seconds_count",
                Map.of("route", "unmatched", "method", "GET", "status", "404")))
        .isGreaterThanOrEqualTo(1);
    assertThat(samples).noneMatch(s -> s.labels().getOrDefault("route", "").contains("42"));
  }
}
