package dev.tessera.serving.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.schemas.Assignment;
import dev.tessera.schemas.Prediction;
import dev.tessera.schemas.topic.TopicCatalog;
import dev.tessera.serving.inference.PredictionLog;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class PredictionLogMetricsTest {
  @Test
  void shouldExposePredictionsThatCouldNotBeLogged() {
    var topic = TopicCatalog.defaults().predictions();
    var producer =
        new MockProducer<>(true, null, new StringSerializer(), topic.valueSerde().serializer());
    producer.sendException = new KafkaException("broker gone");
    PredictionLog log = PredictionLog.start(topic, producer, 10);
    var metrics = ServingMetrics.create().watch(log);
    for (int i = 0; i < 3; i++) {
      log.append(prediction("r-" + i));
    }
    log.close(); // drains the queue: every send has failed by now

    var samples = PrometheusText.parse(new String(metrics.scrape(), StandardCharsets.UTF_8));
    assertThat(
            PrometheusText.value(
                samples, "tessera_prediction_log_dropped_total", Map.of("reason", "send_failed")))
        .isEqualTo(3);
    assertThat(
            PrometheusText.value(
                samples, "tessera_prediction_log_dropped_total", Map.of("reason", "queue_full")))
        .isZero();
  }

  private static Prediction prediction(String id) {
    return Prediction.newBuilder()
        .setRequestId(id)
        .setClientRequestId(null)
        .setTs(Instant.EPOCH)
        .setEndpoint("churn")
        .setServedEntity("m-1")
        .setModelName("m")
        .setModelVersion("1")
        .setEntityKeys(Map.of())
        .setFeatures(List.of())
        .setScore(0.5)
        .setLabel(1)
        .setLatencyUs(1)
        .setAssignment(
            Assignment.newBuilder()
                .setExperimentId("churn")
                .setBucket(0)
                .setConfigVersion(1)
                .build())
        .build();
  }
}
