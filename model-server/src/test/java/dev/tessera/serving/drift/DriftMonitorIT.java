package dev.tessera.serving.drift;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.features.config.FeatureStoreConfig;
import dev.tessera.schemas.FeatureValue;
import dev.tessera.schemas.Prediction;
import dev.tessera.schemas.topic.TopicCatalog;
import dev.tessera.serving.node.BootstrapModel;
import dev.tessera.serving.node.TesseraNode;
import dev.tessera.serving.registry.NewVersion;
import dev.tessera.serving.registry.RegistryClient;
import dev.tessera.serving.testing.Await;
import dev.tessera.serving.testing.KafkaTestCluster;
import dev.tessera.serving.training.TrainingProfile;
import dev.tessera.serving.training.TrainingSet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A version registered with a training profile and served by the churn endpoint: rows like its
 * training data in the predictions topic raise no alert; shifted rows, written with the topic's own
 * serde, turn its drift to alert in the REST route and in /metrics.
 */
@Timeout(180)
class DriftMonitorIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final List<String> COLUMNS = List.of("total_orders", "orders_30d");

  @Test
  void shouldAlertOnShiftedServedFeaturesAndNotOnStableOnes(@TempDir Path state) throws Exception {
    try (KafkaTestCluster kafka = KafkaTestCluster.start();
        TesseraNode node =
            TesseraNode.start(
                Map.of(
                    "bootstrap.servers",
                    kafka.bootstrapServers(),
                    "application.id",
                    "drift-" + UUID.randomUUID(),
                    "state.dir",
                    state.toString(),
                    "http.port",
                    "0",
                    "drift.check.interval.ms",
                    "500"))) {
      URI base = URI.create("http://127.0.0.1:" + node.httpPort());
      try (var client =
          RegistryClient.open(
              new FeatureStoreConfig(Map.of("bootstrap.servers", kafka.bootstrapServers())))) {
        var version =
            client
                .writer()
                .createVersion(
                    new NewVersion(
                        "churn",
                        "churn_v1",
                        BootstrapModel.onnx(),
                        "bootstrap-shaped, with a profile built by hand",
                        Map.of(),
                        Map.of(),
                        null,
                        null,
                        "test",
                        true,
                        profile()));
        assertThat(version.trainingProfile()).isEqualTo(profile());
        client.writer().setAlias("churn", "champion", version.version());
      }
      Await.until(
          WAIT,
          "churn to serve v1",
          () -> "1".equals(drift(base).at("/served_entities/0/model_version").asText()) ? 1 : null);

      var props = new Properties();
      props.put("bootstrap.servers", kafka.bootstrapServers());
      var topic = TopicCatalog.defaults().predictions();
      try (var producer = topic.idempotentProducer(props, "drift-it")) {
        write(producer, 400, 0, 1);
        JsonNode stable =
            Await.until(WAIT, "a judgement of the stable rows", () -> judged(base, "ok", 400));
        assertThat(stable.get("features")).allMatch(f -> f.get("status").asText().equals("ok"));
        assertThat(metric(base, "tessera_drift_alert{model=\"churn\",version=\"1\"}"))
            .isEqualTo("0.0");

        write(producer, 1_600, 15, 2);
        JsonNode shifted =
            Await.until(WAIT, "an alert on the shifted rows", () -> judged(base, "alert", 2_000));
        assertThat(shifted.get("worst_feature").asText()).isEqualTo("total_orders");
        assertThat(shifted.at("/features/1/status").asText()).isEqualTo("ok");
        assertThat(metric(base, "tessera_drift_alert{model=\"churn\",version=\"1\"}"))
            .isEqualTo("1.0");
        assertThat(
                Double.parseDouble(
                    metric(
                        base,
                        "tessera_drift_psi{feature=\"total_orders\",model=\"churn\",version=\"1\"}")))
            .isGreaterThan(0.25);
      }
    }
  }

  /** total_orders uniform on 0..19, orders_30d on 0..4, scores uniform; none missing. */
  private static TrainingProfile profile() {
    var random = new Random(42);
    float[][] rows = new float[4_000][];
    int[] labels = new int[rows.length];
    double[] scores = new double[800];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = new float[] {random.nextInt(20), random.nextInt(5)};
      labels[i] = i % 2;
    }
    for (int i = 0; i < scores.length; i++) {
      scores[i] = random.nextDouble();
    }
    return TrainingProfile.of(TrainingSet.of(COLUMNS, rows, labels), scores);
  }

  private static void write(
      org.apache.kafka.clients.producer.Producer<String, Prediction> producer,
      int n,
      int shift,
      long seed) {
    var random = new Random(seed);
    for (int i = 0; i < n; i++) {
      String id = seed + "-" + i;
      List<FeatureValue> features =
          List.of(
              DriftRows.value("total_orders", random.nextInt(20) + shift, true),
              DriftRows.value("orders_30d", random.nextInt(5), true));
      Prediction p =
          DriftRows.prediction(id, "churn", "1", Instant.now(), features, random.nextDouble());
      producer.send(new ProducerRecord<>("predictions", "C-" + id, p));
    }
    producer.flush();
  }

  private static JsonNode drift(URI base) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(base.resolve("/api/2.0/serving-endpoints/churn/drift"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? JSON.readTree(r.body()) : JSON.createObjectNode();
    } catch (Exception e) {
      return JSON.createObjectNode();
    }
  }

  /** The entity's drift once a check has seen {@code rows} rows with {@code status}. */
  private static JsonNode judged(URI base, String status, int rows) {
    JsonNode d = drift(base).at("/served_entities/0/drift");
    return d.path("rows").asInt() == rows && d.path("status").asText().equals(status) ? d : null;
  }

  private static String metric(URI base, String series) throws Exception {
    String text =
        HTTP.send(
                HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return text.lines()
        .filter(l -> l.startsWith(series + " "))
        .map(l -> l.substring(series.length() + 1).trim())
        .findFirst()
        .orElse("absent: " + series);
  }
}
