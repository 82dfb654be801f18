package dev.tessera.serving.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.definition.ShippedFeatures;
import dev.tessera.features.offline.EventLog;
import dev.tessera.features.offline.PointInTimeReplay;
import dev.tessera.features.query.FeatureVector;
import dev.tessera.features.topology.FeatureTopology;
import dev.tessera.schemas.topic.TopicCatalog;
import dev.tessera.serving.demo.world.ChurnWorld;
import dev.tessera.serving.demo.world.LiveWorld;
import dev.tessera.serving.demo.world.WorldEvent;
import dev.tessera.serving.demo.world.WorldProducer;
import dev.tessera.serving.testing.Await;
import dev.tessera.serving.testing.KafkaTestCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training/serving parity on a real broker: after the churn demo world's history is produced,
 * lookups recorded from a running node at several instants, while its live events keep arriving,
 * equal what the offline engine computes for the same keys and instants from the topics read back
 * from the beginning, events after each instant included in the log.
 */
@Timeout(240)
class OfflineParityIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int CUSTOMERS = 40;
  private static final FeatureRegistry REGISTRY = ShippedFeatures.registry();

  private final HttpClient http = HttpClient.newHttpClient();
  private final String appId = "parity-" + UUID.randomUUID();

  private record Observed(
      String view, String key, long asOf, Map<String, Double> request, JsonNode features) {}

  @Test
  void shouldComputeOfflineWhatTheOnlineStoreServedAtEachInstant(@TempDir Path state)
      throws Exception {
    var observed = new ArrayList<Observed>();
    EventLog log;
    long produced;
    try (KafkaTestCluster kafka = KafkaTestCluster.start();
        TesseraNode node =
            TesseraNode.start(
                Map.of(
                    "bootstrap.servers",
                    kafka.bootstrapServers(),
                    "application.id",
                    appId,
                    "state.dir",
                    state.toString(),
                    "http.port",
                    "0"));
        Admin admin =
            Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      var client = new Properties();
      client.put("bootstrap.servers", kafka.bootstrapServers());
      // The demo world's history, then three rounds of its live events, each after the previous
      // round's lookups; lookups of every customer after each round.
      ChurnWorld world = ChurnWorld.create(CUSTOMERS, 70, 5, Instant.now().minusSeconds(1));
      try (var producer = new WorldProducer(TopicCatalog.defaults(), client)) {
        try (Stream<WorldEvent> history = world.history()) {
          history.forEach(producer::accept);
        }
        for (int round = 0; round < 4; round++) {
          if (round > 0) {
            LiveWorld live = world.live(Instant.now(), 1000);
            // Enough live events that some are orders whatever the live stream draws this run.
            for (int e = 0; e < 200 && live.hasNext(); e++) {
              producer.accept(live.next());
            }
          }
          producer.flush();
          awaitCaughtUp(admin);
          for (int c = 1; c <= CUSTOMERS; c++) {
            observed.add(lookUp(node, "customer_churn", "C-" + c, Map.of()));
            observed.add(
                lookUp(
                    node,
                    "customer_risk",
                    "C-" + c,
                    Map.of("amount", 80.0, "lat", 48.85, "lon", 2.35)));
          }
        }
        Map<String, Long> counts = producer.counts();
        produced =
            counts.getOrDefault("customers", 0L)
                + counts.getOrDefault("orders", 0L)
                + counts.getOrDefault("clicks", 0L);
      }
      log =
          EventLog.fromKafka(
              client, TopicCatalog.defaults(), FeatureTopology.timeFields(REGISTRY.views()), WAIT);
    }
    assertThat(log.events()).hasSize((int) produced);
    // Not a comparison of defaults: live windows and sessions hold something.
    assertThat(observed)
        .anyMatch(o -> o.features().at("/orders_last_5m/value").asDouble() > 0)
        .anyMatch(o -> o.features().at("/sessions_last_30d/value").asDouble() > 1)
        .anyMatch(o -> o.features().at("/region_avg_order_value_365d/value").asDouble() > 0);
    observed.sort(Comparator.comparingLong(Observed::asOf));
    int compared = 0;
    try (var replay = new PointInTimeReplay(REGISTRY, log)) {
      for (Observed o : observed) {
        replay.advanceTo(o.asOf());
        FeatureVector offline = replay.lookup(o.view(), o.key(), o.asOf(), o.request());
        for (int i = 0; i < offline.names().size(); i++) {
          String name = offline.names().get(i);
          double online = o.features().get(name).get("value").asDouble();
          assertThat(offline.values()[i])
              .as("%s %s %s as of %s", o.view(), o.key(), name, Instant.ofEpochMilli(o.asOf()))
              .isCloseTo(online, within(1e-9 * Math.max(1, Math.abs(online))));
          compared++;
        }
      }
      assertThat(replay.rejected()).isZero();
    }
    assertThat(compared).isEqualTo(4 * CUSTOMERS * (18 + 5));
  }

  private Observed lookUp(TesseraNode node, String view, String key, Map<String, Double> request) {
    String query =
        request.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining("&", "?", ""));
    JsonNode v =
        Await.until(
            WAIT,
            view + " " + key,
            () -> get(node, "/features/" + view + "/" + key + (request.isEmpty() ? "" : query)));
    return new Observed(
        view,
        key,
        Instant.parse(v.get("as_of").asText()).toEpochMilli(),
        request,
        v.get("features"));
  }

  private JsonNode get(TesseraNode node, String path) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
    } catch (Exception e) {
      return null;
    }
  }

  /**
   * Until the application's committed offsets reach the end of every input and repartition topic.
   */
  private void awaitCaughtUp(Admin admin) {
    Await.until(
        WAIT,
        "the node to process everything produced",
        () -> {
          try {
            Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(appId).partitionsToOffsetAndMetadata().get();
            var request = new HashMap<TopicPartition, OffsetSpec>();
            for (var name : admin.listTopics().names().get()) {
              if (List.of("orders", "clicks", "customers").contains(name)
                  || name.startsWith(appId) && name.endsWith("-repartition")) {
                admin
                    .describeTopics(List.of(name))
                    .allTopicNames()
                    .get()
                    .get(name)
                    .partitions()
                    .forEach(
                        p ->
                            request.put(
                                new TopicPartition(name, p.partition()), OffsetSpec.latest()));
              }
            }
            var ends = admin.listOffsets(request).all().get();
            for (var e : ends.entrySet()) {
              OffsetAndMetadata c = committed.get(e.getKey());
              if (e.getValue().offset() > 0 && (c == null || c.offset() < e.getValue().offset())) {
                return null;
              }
            }
            return Boolean.TRUE;
          } catch (Exception e) {
            return null;
          }
        });
  }
}
