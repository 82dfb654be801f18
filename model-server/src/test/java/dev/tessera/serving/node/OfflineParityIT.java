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
import dev.tessera.schemas.Click;
import dev.tessera.schemas.Customer;
import dev.tessera.schemas.Order;
import dev.tessera.schemas.serde.EventSerdes;
import dev.tessera.schemas.topic.TopicCatalog;
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
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training/serving parity on a real broker: lookups recorded from a running node at several
 * instants, while a live stream of events goes on, equal what the offline engine computes for the
 * same keys and instants from the topics read back from the beginning, events after each instant
 * included in the log.
 */
@Timeout(240)
class OfflineParityIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int CUSTOMERS = 30;
  private static final String[] REGIONS = {"eu-west", "us-east", "apac"};
  private static final String[] TYPES = {"page_view", "page_view", "add_to_cart", "search"};
  private static final long DAY = 86_400_000L;
  private static final FeatureRegistry REGISTRY = ShippedFeatures.registry();

  private final HttpClient http = HttpClient.newHttpClient();
  private final SplittableRandom random = new SplittableRandom(7);
  private final String appId = "parity-" + UUID.randomUUID();
  private int sequence;

  private record Observed(
      String view, String key, long asOf, Map<String, Double> request, JsonNode features) {}

  @Test
  void shouldComputeOfflineWhatTheOnlineStoreServedAtEachInstant(@TempDir Path state)
      throws Exception {
    var observed = new ArrayList<Observed>();
    EventLog log;
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
        var producers = new Producers(kafka.bootstrapServers());
        Admin admin =
            Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      long now = System.currentTimeMillis();
      for (int c = 0; c < CUSTOMERS; c++) {
        producers.customer(customer(c, now));
      }
      // 40 days of history in event-time order, then three rounds of live events, each after the
      // previous round's lookups; lookups of every key after each round.
      long from = now - 40 * DAY;
      for (int round = 0; round < 4; round++) {
        long to = System.currentTimeMillis();
        int events = round == 0 ? 1500 : 60;
        long[] times = random.longs(events, from, to).sorted().toArray();
        for (long t : times) {
          String key = "C-" + random.nextInt(CUSTOMERS);
          if (random.nextInt(3) == 0) {
            producers.order(order(key, t));
          } else {
            producers.click(click(key, t));
          }
        }
        producers.flush();
        awaitCaughtUp(admin);
        for (int c = 0; c < CUSTOMERS; c++) {
          observed.add(lookUp(node, "customer_churn", "C-" + c, Map.of()));
          observed.add(
              lookUp(
                  node,
                  "customer_risk",
                  "C-" + c,
                  Map.of("amount", 80.0, "lat", 48.85, "lon", 2.35)));
        }
        from = observed.stream().mapToLong(Observed::asOf).max().orElseThrow() + 1;
      }
      var client = new Properties();
      client.put("bootstrap.servers", kafka.bootstrapServers());
      log =
          EventLog.fromKafka(
              client, TopicCatalog.defaults(), FeatureTopology.timeFields(REGISTRY.views()), WAIT);
    }
    assertThat(log.events()).hasSize(CUSTOMERS + 1500 + 3 * 60);
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

  private Customer customer(int c, long now) {
    return Customer.newBuilder()
        .setCustomerId("C-" + c)
        .setSignupTs(Instant.ofEpochMilli(now - (100 + c) * DAY))
        .setSubscriptionTier(c % 2 == 0 ? "basic" : "premium")
        .setRegion(REGIONS[c % REGIONS.length])
        .setHomeLat(40.0 + c)
        .setHomeLon((double) (c % 10))
        .build();
  }

  private Order order(String key, long t) {
    return Order.newBuilder()
        .setOrderId("o-" + sequence++)
        .setCustomerId(key)
        .setOrderTs(Instant.ofEpochMilli(t))
        .setOrderTotal(Math.round(random.nextDouble(5, 200) * 100) / 100.0)
        .setProductCategory(random.nextBoolean() ? "books" : "toys")
        .build();
  }

  private Click click(String key, long t) {
    return Click.newBuilder()
        .setEventId("c-" + sequence++)
        .setCustomerId(key)
        .setEventType(TYPES[random.nextInt(TYPES.length)])
        .setEventTs(Instant.ofEpochMilli(t))
        .build();
  }

  /** Idempotent producers of the three input topics, Avro single-object values. */
  private static final class Producers implements AutoCloseable {
    private final KafkaProducer<String, Customer> customers;
    private final KafkaProducer<String, Order> orders;
    private final KafkaProducer<String, Click> clicks;

    Producers(String bootstrap) {
      Map<String, Object> props =
          Map.of(
              ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
              bootstrap,
              ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
              true);
      customers =
          new KafkaProducer<>(props, new StringSerializer(), EventSerdes.customers().serializer());
      orders =
          new KafkaProducer<>(props, new StringSerializer(), EventSerdes.orders().serializer());
      clicks =
          new KafkaProducer<>(props, new StringSerializer(), EventSerdes.clicks().serializer());
    }

    void customer(Customer c) {
      customers.send(new ProducerRecord<>(TopicCatalog.CUSTOMERS, c.getCustomerId(), c));
    }

    void order(Order o) {
      orders.send(new ProducerRecord<>(TopicCatalog.ORDERS, o.getCustomerId(), o));
    }

    void click(Click c) {
      clicks.send(new ProducerRecord<>(TopicCatalog.CLICKS, c.getCustomerId(), c));
    }

    void flush() {
      customers.flush();
      orders.flush();
      clicks.flush();
    }

    @Override
    public void close() {
      customers.close();
      orders.close();
      clicks.close();
    }
  }
}
