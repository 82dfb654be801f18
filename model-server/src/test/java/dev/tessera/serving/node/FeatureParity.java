package dev.tessera.serving.node;

import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.definition.ShippedFeatures;
import dev.tessera.features.offline.EventLog;
import dev.tessera.features.offline.PointInTimeReplay;
import dev.tessera.features.query.FeatureVector;
import dev.tessera.schemas.Customer;
import dev.tessera.serving.demo.world.ChurnWorld;
import dev.tessera.serving.demo.world.WorldEvent;
import dev.tessera.serving.demo.world.WorldProducer;
import dev.tessera.serving.testing.Await;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.assertj.core.api.SoftAssertions;

/**
 * Online lookups recorded from a running node, checked against an independent recomputation: the
 * offline engine replaying the event log read back from the topics, as of each lookup's instant.
 * Equal values mean nothing was lost and nothing counted twice.
 */
final class FeatureParity {
  static final FeatureRegistry REGISTRY = ShippedFeatures.registry();

  /** The request-time features of {@code customer_risk}'s lookups. */
  static final Map<String, Double> RISK_REQUEST = Map.of("amount", 80.0, "lat", 48.85, "lon", 2.35);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  record Observed(
      String view,
      String key,
      long asOf,
      Map<String, Double> request,
      JsonNode features,
      String servedBy) {}

  private FeatureParity() {}

  /**
   * Produces the world's history with its customer rows first and flushed, as a shop has its
   * customers before their orders. Online, a view keyed through the customer row ({@code
   * region_orders}) joins each order with the customers table as it arrives, so an order that
   * overtook its customer row would drop out there, while the offline engine, replaying in
   * event-time order, counts it.
   */
  static void produceHistory(ChurnWorld world, WorldProducer producer) {
    try (Stream<WorldEvent> history = world.history()) {
      boolean customersSent = false;
      for (WorldEvent e : (Iterable<WorldEvent>) history::iterator) {
        if (!customersSent && !(e.value() instanceof Customer)) {
          producer.flush();
          customersSent = true;
        }
        producer.accept(e);
      }
    }
    producer.flush();
  }

  /** Both shipped customer views of customers {@code C-1 .. C-n}, looked up at {@code base}. */
  static List<Observed> lookUpCustomers(URI base, int customers, Duration wait) {
    var observed = new ArrayList<Observed>();
    for (int c = 1; c <= customers; c++) {
      observed.add(lookUp(base, "customer_churn", "C-" + c, Map.of(), wait));
      observed.add(lookUp(base, "customer_risk", "C-" + c, RISK_REQUEST, wait));
    }
    return observed;
  }

  /** One lookup, retried until a caught-up store ({@code store_lag} 0) answers it. */
  static Observed lookUp(
      URI base, String view, String key, Map<String, Double> request, Duration wait) {
    String query =
        request.isEmpty()
            ? ""
            : request.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("&", "?", ""));
    // A key of several fields holds '|' (EntityKey), which a URI path must escape.
    URI uri =
        base.resolve(
            "/features/" + view + "/" + URLEncoder.encode(key, StandardCharsets.UTF_8) + query);
    JsonNode v = Await.until(wait, view + " " + key + " at " + base, () -> caughtUp(uri));
    return new Observed(
        view,
        key,
        Instant.parse(v.get("as_of").asText()).toEpochMilli(),
        request,
        v.get("features"),
        v.path("served_by").asText());
  }

  private static JsonNode caughtUp(URI uri) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return null;
      }
      JsonNode v = JSON.readTree(r.body());
      return v.path("store_lag").asLong(0) == 0 ? v : null;
    } catch (Exception e) {
      return null;
    }
  }

  /**
   * Asserts every observed feature equals the offline engine's value from {@code log} at the same
   * instant, and returns how many values were compared.
   */
  static int assertMatchesReplay(List<Observed> observed, EventLog log) {
    var sorted = new ArrayList<>(observed);
    sorted.sort(Comparator.comparingLong(Observed::asOf));
    int compared = 0;
    // Every difference, not only the first: which keys, features and replicas differ, and whether
    // online is above or below, says where to look.
    var softly = new SoftAssertions();
    try (var replay = new PointInTimeReplay(REGISTRY, log)) {
      for (Observed o : sorted) {
        replay.advanceTo(o.asOf());
        FeatureVector offline = replay.lookup(o.view(), o.key(), o.asOf(), o.request());
        for (int i = 0; i < offline.names().size(); i++) {
          String name = offline.names().get(i);
          double online = o.features().get(name).get("value").asDouble();
          softly
              .assertThat(online)
              .as(
                  "online %s %s %s as of %s (served by %s), offline replay",
                  o.view(), o.key(), name, Instant.ofEpochMilli(o.asOf()), o.servedBy())
              .isCloseTo(offline.values()[i], within(1e-9 * Math.max(1, Math.abs(online))));
          compared++;
        }
      }
      softly.assertThat(replay.rejected()).as("events the replay dead-lettered").isZero();
    }
    softly.assertAll();
    return compared;
  }

  /**
   * Until the application's committed offsets reach the end of every input and repartition topic.
   */
  static void awaitCaughtUp(Admin admin, String appId, Duration wait) {
    awaitCaughtUp(admin, appId, Set.of("orders", "clicks", "customers"), wait);
  }

  /** As above, for the given input topics. */
  static void awaitCaughtUp(Admin admin, String appId, Set<String> inputs, Duration wait) {
    Await.until(
        wait,
        appId + " to process everything produced",
        () -> {
          try {
            Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(appId).partitionsToOffsetAndMetadata().get();
            var request = new HashMap<TopicPartition, OffsetSpec>();
            var names =
                admin.listTopics().names().get().stream()
                    .filter(
                        n ->
                            inputs.contains(n)
                                || n.startsWith(appId + "-") && n.endsWith("-repartition"))
                    .toList();
            admin
                .describeTopics(names)
                .allTopicNames()
                .get()
                .forEach(
                    (name, d) ->
                        d.partitions()
                            .forEach(
                                p ->
                                    request.put(
                                        new TopicPartition(name, p.partition()),
                                        OffsetSpec.latest())));
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
