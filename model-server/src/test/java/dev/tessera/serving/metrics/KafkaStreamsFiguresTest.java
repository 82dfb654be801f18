package dev.tessera.serving.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

class KafkaStreamsFiguresTest {
  private record Fixed(MetricName metricName, Object value) implements Metric {
    @Override
    public Object metricValue() {
      return value;
    }
  }

  private final Map<MetricName, Metric> metrics = new HashMap<>();

  private void put(String name, String group, Map<String, String> tags, Object value) {
    var metricName = new MetricName(name, group, "", tags);
    metrics.put(metricName, new Fixed(metricName, value));
  }

  @Test
  void shouldTakeTheLargestClientLevelLagAndIgnoreUnknownFigures() {
    var figures = new KafkaStreamsFigures(() -> metrics);
    assertThat(figures.recordsLagMax()).isNaN();
    put("records-lag-max", KafkaStreamsFigures.FETCH_GROUP, Map.of("client-id", "a"), 12.0);
    put("records-lag-max", KafkaStreamsFigures.FETCH_GROUP, Map.of("client-id", "b"), Double.NaN);
    put("records-lag-max", KafkaStreamsFigures.FETCH_GROUP, Map.of("client-id", "c"), 40.0);
    put(
        "records-lag-max",
        KafkaStreamsFigures.FETCH_GROUP,
        Map.of("client-id", "a", "topic", "t", "partition", "0"),
        99.0);
    put("records-lag-max", "producer-metrics", Map.of("client-id", "p"), 500.0);
    assertThat(figures.recordsLagMax()).isEqualTo(40.0);
  }

  @Test
  void shouldSumDroppedRecordsOverTasks() {
    var figures = new KafkaStreamsFigures(() -> metrics);
    assertThat(figures.droppedRecords()).isZero();
    put("dropped-records-total", KafkaStreamsFigures.TASK_GROUP, Map.of("task-id", "0_0"), 3.0);
    put("dropped-records-total", KafkaStreamsFigures.TASK_GROUP, Map.of("task-id", "0_1"), 4.0);
    put("dropped-records-rate", KafkaStreamsFigures.TASK_GROUP, Map.of("task-id", "0_1"), 9.0);
    assertThat(figures.droppedRecords()).isEqualTo(7.0);
  }

  @Test
  void shouldExposeStreamsFiguresInTheScrape() {
    var metrics =
        ServingMetrics.create()
            .watch(
                new StreamsFigures() {
                  @Override
                  public double recordsLagMax() {
                    return 17;
                  }

                  @Override
                  public double droppedRecords() {
                    return 5;
                  }
                });
    var samples = PrometheusText.parse(new String(metrics.scrape(), StandardCharsets.UTF_8));
    assertThat(PrometheusText.value(samples, "tessera_streams_lag_records", Map.of()))
        .isEqualTo(17);
    assertThat(PrometheusText.value(samples, "tessera_streams_dropped_records_total", Map.of()))
        .isEqualTo(5);
  }
}
