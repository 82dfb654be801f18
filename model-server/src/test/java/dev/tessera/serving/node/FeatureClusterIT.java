package dev.tessera.serving.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.schemas.Customer;
import dev.tessera.schemas.Order;
import dev.tessera.schemas.serde.EventSerdes;
import dev.tessera.serving.testing.Await;
import dev.tessera.serving.testing.KafkaTestCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes sharing one application id against a real broker: every key answers the same from
 * either node (half of them forwarded to their owner), a feature of another entity (the region) is
 * read wherever that entity lives, and when one node stops the other serves all keys.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(240)
class FeatureClusterIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int CUSTOMERS = 24;
  private static final List<String> REGIONS = List.of("eu-west", "us-east", "apac");

  private KafkaTestCluster kafka;
  private TesseraNode a;
  private TesseraNode b;
  private Path freshDir;
  private final String appId = "cluster-" + UUID.randomUUID();
  private final HttpClient http = HttpClient.newHttpClient();
  private static final String TOKEN = "cluster-invoke";
  private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
  private final Map<String, Integer> expectedOrders = new HashMap<>();
  private final Map<String, List<Double>> totalsByRegion = new HashMap<>();

  @BeforeAll
  void start(@TempDir Path dirA, @TempDir Path dirB, @TempDir Path dirC) throws Exception {
    freshDir = dirC;
    kafka = KafkaTestCluster.start();
    a = TesseraNode.start(settings(appId, dirA));
    b = TesseraNode.start(settings(appId, dirB));
    produce();
  }

  private Map<String, String> settings(String appId, Path stateDir) {
    return Map.of(
        "bootstrap.servers",
        kafka.bootstrapServers(),
        "application.id",
        appId,
        "state.dir",
        stateDir.toString(),
        "http.port",
        "0",
        "num.standby.replicas",
        "1",
        // Tokens on, as in production: forwarded lookups must carry the peer token.
        "auth.tokens",
        TOKEN + ":invoke,cluster-admin:admin",
        "auth.peer.token",
        TOKEN);
  }

  @AfterAll
  void stop() {
    for (AutoCloseable c : new AutoCloseable[] {b, a, kafka}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // best effort
      }
    }
  }

  private void produce() throws Exception {
    var props =
        Map.<String, Object>of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true);
    try (var customers =
            new KafkaProducer<>(
                props, new StringSerializer(), EventSerdes.customers().serializer());
        var orders =
            new KafkaProducer<>(props, new StringSerializer(), EventSerdes.orders().serializer())) {
      for (int i = 0; i < CUSTOMERS; i++) {
        String id = "C-" + i;
        String region = REGIONS.get(i % REGIONS.size());
        customers
            .send(
                new ProducerRecord<>(
                    "customers",
                    id,
                    Customer.newBuilder()
                        .setCustomerId(id)
                        .setSignupTs(now.minus(Duration.ofDays(100)))
                        .setSubscriptionTier("basic")
                        .setRegion(region)
                        .build()))
            .get();
      }
      for (int i = 0; i < CUSTOMERS; i++) {
        String id = "C-" + i;
        int n = i % 4 + 1;
        expectedOrders.put(id, n);
        for (int k = 0; k < n; k++) {
          double total = 10.0 * (i + 1) + k;
          totalsByRegion
              .computeIfAbsent(REGIONS.get(i % REGIONS.size()), r -> new ArrayList<>())
              .add(total);
          orders
              .send(
                  new ProducerRecord<>(
                      "orders",
                      id,
                      Order.newBuilder()
                          .setOrderId(id + "-" + k)
                          .setCustomerId(id)
                          .setOrderTs(now.minus(Duration.ofMinutes(10L + k)))
                          .setOrderTotal(total)
                          .setProductCategory("books")
                          .build()))
              .get();
        }
      }
    }
  }

  @Test
  @org.junit.jupiter.api.Order(1)
  void shouldAnswerEveryKeyTheSameFromEitherNodeForwardingTheKeysItDoesNotOwn() {
    int forwardedByA = 0;
    int forwardedByB = 0;
    for (int i = 0; i < CUSTOMERS; i++) {
      String key = "C-" + i;
      int expected = expectedOrders.get(key);
      // Right after the second node joined, Streams may still move a task to it (warm-up, then
      // a probing rebalance): both nodes are asked again until one owner answered both.
      JsonNode[] answers =
          Await.until(
              WAIT,
              key + " answered by one owner to both nodes",
              () -> {
                JsonNode x = caughtUpOrders(a, key, expected);
                JsonNode y = caughtUpOrders(b, key, expected);
                return x != null
                        && y != null
                        && x.get("served_by").asText().equals(y.get("served_by").asText())
                    ? new JsonNode[] {x, y}
                    : null;
              });
      JsonNode fromA = answers[0];
      JsonNode fromB = answers[1];
      assertSameFeatures(fromA, fromB);
      assertThat(fromA.get("found").asBoolean()).isTrue();
      assertThat(fromA.get("store_lag").asLong()).isZero();
      forwardedByA += fromA.get("served_by").asText().equals(address(a)) ? 0 : 1;
      forwardedByB += fromB.get("served_by").asText().equals(address(b)) ? 0 : 1;
      // Served by the owner: both answers name the same node.
      assertThat(fromB.get("served_by").asText()).isEqualTo(fromA.get("served_by").asText());
    }
    assertThat(forwardedByA).as("keys A forwarded to B").isPositive();
    assertThat(forwardedByB).as("keys B forwarded to A").isPositive();
    assertThat(forwardedByA + forwardedByB).isEqualTo(CUSTOMERS);
  }

  @Test
  @org.junit.jupiter.api.Order(2)
  void shouldLookUpManyKeysInOneRoundTripFromEitherNode() throws Exception {
    var keys = new ArrayList<String>();
    for (int i = 0; i < CUSTOMERS; i++) {
      keys.add("C-" + i);
    }
    String body = JSON.writeValueAsString(Map.of("view", "customer_churn", "keys", keys));
    for (TesseraNode node : List.of(a, b)) {
      JsonNode results = post(node, "/features/lookup", body).get("results");
      assertThat(results).hasSize(CUSTOMERS);
      for (int i = 0; i < CUSTOMERS; i++) {
        JsonNode r = results.get(i);
        assertThat(r.get("key").asText()).isEqualTo("C-" + i);
        assertThat(r.at("/features/total_orders/value").asDouble())
            .isEqualTo((double) expectedOrders.get("C-" + i));
      }
    }
  }

  @Test
  @org.junit.jupiter.api.Order(3)
  void shouldReadTheRegionFeatureWhereverTheRegionLives() {
    for (int i = 0; i < REGIONS.size(); i++) {
      String key = "C-" + i;
      double expected =
          totalsByRegion.get(REGIONS.get(i)).stream()
              .mapToDouble(Double::doubleValue)
              .average()
              .orElseThrow();
      for (TesseraNode node : List.of(a, b)) {
        JsonNode risk =
            Await.until(
                WAIT,
                "region average of " + key,
                () -> {
                  JsonNode v = get(node, "/features/customer_risk/" + key + "?amount=25");
                  return v != null
                          && Math.abs(
                                  v.at("/features/region_avg_order_value_365d/value").asDouble()
                                      - expected)
                              < 1e-9
                      ? v
                      : null;
                });
        assertThat(risk.at("/features/region_avg_order_value_365d/value").asDouble())
            .isCloseTo(expected, within(1e-9));
        assertThat(risk.at("/features/orders_last_5m/value").asDouble()).isZero();
      }
    }
  }

  @Test
  @org.junit.jupiter.api.Order(5)
  void shouldRestoreEveryStoreFromItsChangelogOnANodeWithAnEmptyStateDir() {
    a.close();
    a = TesseraNode.start(settings(appId, freshDir));
    for (int i = 0; i < CUSTOMERS; i++) {
      String key = "C-" + i;
      JsonNode v = awaitOrders(a, key, expectedOrders.get(key));
      assertThat(v.at("/features/lifetime_revenue/value").asDouble()).isPositive();
    }
  }

  @Test
  @org.junit.jupiter.api.Order(4)
  void shouldServeEveryKeyFromTheRemainingNodeWhenOneStops() {
    b.close();
    String self = address(a);
    for (int i = 0; i < CUSTOMERS; i++) {
      String key = "C-" + i;
      int expected = expectedOrders.get(key);
      JsonNode v =
          Await.until(
              WAIT,
              key + " served by the remaining node",
              () -> {
                JsonNode r = get(a, "/features/customer_churn/" + key);
                // A replica still restoring may answer within the lag bound; only a caught-up
                // one (store_lag 0) must hold every event.
                return r != null
                        && r.get("served_by").asText().equals(self)
                        && r.get("store_lag").asLong() == 0
                        && r.at("/features/total_orders/value").asDouble() == expected
                        && r.at("/features/orders_30d/value").asDouble() == expected
                    ? r
                    : null;
              });
      assertThat(v.at("/features/lifetime_revenue/value").asDouble()).isPositive();
    }
  }

  /**
   * Equal values and event times, except that the two lookups ran at slightly different times, so
   * the features counting days up to the lookup time may differ by those milliseconds.
   */
  private static void assertSameFeatures(JsonNode x, JsonNode y) {
    JsonNode fx = x.get("features");
    JsonNode fy = y.get("features");
    assertThat(names(fy)).isEqualTo(names(fx));
    for (String name : names(fx)) {
      if (name.equals("days_since_last_order") || name.equals("account_age_days")) {
        assertThat(fy.at("/" + name + "/value").asDouble())
            .as(name)
            .isCloseTo(
                fx.at("/" + name + "/value").asDouble(), within(WAIT.toMillis() / 86_400_000.0));
      } else {
        assertThat(fy.get(name)).as(name).isEqualTo(fx.get(name));
      }
    }
  }

  /** Field names of a JSON object, in order. */
  private static List<String> names(JsonNode object) {
    var names = new ArrayList<String>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /**
   * The key's features once a caught-up store answers with every order. A standby may answer within
   * the lag bound while its stores restore from their changelogs one after the other (the lifetime
   * store already holding an order the window store does not); it says so in {@code store_lag}.
   */
  private JsonNode awaitOrders(TesseraNode node, String key, int expected) {
    return Await.until(
        WAIT, key + " on " + address(node), () -> caughtUpOrders(node, key, expected));
  }

  /** The key's features if a caught-up store answered with every order, else null. */
  private JsonNode caughtUpOrders(TesseraNode node, String key, int expected) {
    JsonNode v = get(node, "/features/customer_churn/" + key);
    return v != null
            && v.get("store_lag").asLong() == 0
            && v.at("/features/total_orders/value").asDouble() == expected
        ? v
        : null;
  }

  private static String address(TesseraNode node) {
    return "127.0.0.1:" + node.httpPort();
  }

  /** The JSON body of a 200, or null for anything else (e.g. 503 while rebalancing). */
  private JsonNode get(TesseraNode node, String path) {
    return send(
        HttpRequest.newBuilder(URI.create("http://" + address(node) + path))
            .header("Authorization", "Bearer " + TOKEN)
            .GET()
            .build());
  }

  private JsonNode post(TesseraNode node, String path, String body) {
    return Await.until(
        WAIT,
        "POST " + path,
        () ->
            send(
                HttpRequest.newBuilder(URI.create("http://" + address(node) + path))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build()));
  }

  private JsonNode send(HttpRequest request) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
