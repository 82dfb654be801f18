package dev.tessera.serving.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.features.topology.DeadLetters;
import dev.tessera.schemas.Click;
import dev.tessera.schemas.Customer;
import dev.tessera.schemas.Order;
import dev.tessera.schemas.Outcome;
import dev.tessera.schemas.serde.EventSerde;
import dev.tessera.schemas.serde.EventSerdes;
import dev.tessera.schemas.topic.TopicCatalog;
import dev.tessera.serving.testing.Await;
import dev.tessera.serving.testing.KafkaTestCluster;
import dev.tessera.serving.testing.RawHttp;
import dev.tessera.serving.testing.RawHttp.Response;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Future;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input against one node on a real broker, seeded (override with {@code -Dfuzz.seed=N}):
 *
 * <ol>
 *   <li>random and malformed records on every input topic ({@code customers}, {@code orders},
 *       {@code clicks}, {@code outcomes}) interleaved with good ones, half of the keys' good ones
 *       on another partition than their key hashes to: every bad record reaches {@code tessera-dlq}
 *       exactly once with its reason, every good one is counted (features equal a recomputation
 *       from the good records), no stream thread dies, the heap stays bounded;
 *   <li>random and malformed requests on every HTTP route: never a 5xx, every 4xx a JSON error
 *       naming the problem and no stack trace, traversal in names and paths refused with 400, the
 *       node keeps serving.
 * </ol>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(600)
class FuzzIT {
  private static final long SEED = Long.getLong("fuzz.seed", 20261122L);
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ADMIN = "adm-" + UUID.randomUUID();
  private static final String INVOKE = "inv-" + UUID.randomUUID();
  private static final int PARTITIONS = 3;
  private static final int KEYS = 40;
  private static final int RECORDS = 4_000;
  private static final int HTTP_REQUESTS = 3_000;
  private static final int MAX_BODY = 65_536;
  private static final String SECRET = "top-secret-" + UUID.randomUUID();

  private KafkaTestCluster kafka;
  private TesseraNode node;
  private Path sourceDir;
  private Path outside;
  private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

  @BeforeAll
  void startNode(@TempDir Path dir) throws Exception {
    sourceDir = Files.createDirectories(dir.resolve("models"));
    Files.writeString(sourceDir.resolve("not-onnx.onnx"), "not an ONNX model");
    outside = dir.resolve("secret.onnx");
    Files.writeString(outside, SECRET);
    Files.createSymbolicLink(sourceDir.resolve("link.onnx"), outside);
    kafka = KafkaTestCluster.start();
    var settings = new HashMap<String, String>();
    settings.put("bootstrap.servers", kafka.bootstrapServers());
    settings.put("application.id", "fuzz-" + UUID.randomUUID());
    settings.put("state.dir", Files.createDirectories(dir.resolve("state")).toString());
    settings.put("topic.partitions", Integer.toString(PARTITIONS));
    settings.put("http.port", "0");
    settings.put("http.max.body.bytes", Integer.toString(MAX_BODY));
    settings.put("http.max.batch.rows", "50");
    settings.put("auth.tokens", ADMIN + ":admin," + INVOKE + ":invoke");
    settings.put("auth.failure.limit", "100000"); // the fuzz sends bad tokens on purpose
    settings.put("registry.source.dir", sourceDir.toString());
    node = TesseraNode.start(settings);
    Await.until(WAIT, "node ready", () -> node.featuresReady() ? true : null);
  }

  @AfterAll
  void stop() {
    if (node != null) {
      node.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  // ---------------------------------------------------------------- Kafka input

  /** What the test expects of the good records, per customer. */
  private static final class Truth {
    int orders;
    double revenue;
    int pageViews;
    int cartAdds;
    String tier;
  }

  private record Bad(String kind, Future<RecordMetadata> sent) {}

  @Test
  @org.junit.jupiter.api.Order(1)
  void shouldDeadLetterEveryBadRecordOnceAndCountEveryGoodOne() throws Exception {
    var random = new Random(SEED);
    Map<String, Truth> truth = new TreeMap<>();
    for (int k = 0; k < KEYS; k++) {
      truth.put("C-" + k, new Truth());
    }
    List<String> keys = new ArrayList<>(truth.keySet());
    var bad = new ArrayList<Bad>();
    int good = 0;
    long badBytes = 0;
    long heapBefore = usedHeap();
    long start = System.nanoTime();
    var props =
        Map.<String, Object>of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true,
            ProducerConfig.LINGER_MS_CONFIG,
            5);
    try (var producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      // First a good order, click and customer row for every key, so that every task's stream time
      // is recent before any late click arrives (a click is late relative to what came before).
      for (String key : keys) {
        sendGood(producer, random, "customers", key, truth);
        sendGood(producer, random, "orders", key, truth);
        sendGood(producer, random, "clicks", key, truth);
        good += 3;
      }
      producer.flush();
      String[] topics = {"customers", "orders", "clicks", "outcomes"};
      for (int i = 0; i < RECORDS; i++) {
        String topic = topics[random.nextInt(topics.length)];
        String key = keys.get(random.nextInt(keys.size()));
        if (random.nextInt(100) < 55) {
          sendGood(producer, random, topic, key, truth);
          good++;
        } else {
          ProducerRecord<byte[], byte[]> record = badRecord(random, topic, key);
          String kind = kindOf(record);
          badBytes += record.value() == null ? 0 : record.value().length;
          bad.add(new Bad(topic + "/" + kind, producer.send(record)));
        }
      }
      producer.flush();
    }
    Map<String, String> expectedBad = new HashMap<>(); // "topic/partition/offset" -> kind
    for (Bad b : bad) {
      RecordMetadata m = b.sent().get();
      expectedBad.put(m.topic() + "/" + m.partition() + "/" + m.offset(), b.kind());
    }
    assertThat(expectedBad).hasSize(bad.size());

    // Every good record is counted: the features equal the recomputation.
    for (var e : truth.entrySet()) {
      Truth t = e.getValue();
      Await.until(
          WAIT,
          "features of " + e.getKey() + " to match the good records",
          () -> {
            JsonNode f = get("/features/customer_churn/" + e.getKey()).get("features");
            boolean same =
                f.at("/total_orders/value").asDouble() == t.orders
                    && Math.abs(f.at("/lifetime_revenue/value").asDouble() - t.revenue) < 1e-6
                    && f.at("/page_views_30d/value").asDouble() == t.pageViews
                    && f.at("/cart_adds_30d/value").asDouble() == t.cartAdds
                    && f.at("/subscription_tier/value").asDouble() == ordinal(t.tier);
            return same ? true : null;
          });
    }

    // Every bad record is dead-lettered once, with its coordinates and a reason.
    Map<String, ConsumerRecord<byte[], byte[]>> dead = new HashMap<>();
    List<String> duplicates = new ArrayList<>();
    List<String> unexpected = new ArrayList<>();
    try (var consumer = dlqConsumer()) {
      var tp = new TopicPartition(TopicCatalog.DEAD_LETTERS, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      Await.until(
          WAIT,
          "all " + expectedBad.size() + " bad records in " + TopicCatalog.DEAD_LETTERS,
          () -> {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
              String at =
                  header(r, DeadLetters.SOURCE_TOPIC)
                      + "/"
                      + header(r, DeadLetters.SOURCE_PARTITION)
                      + "/"
                      + header(r, DeadLetters.SOURCE_OFFSET);
              if (!expectedBad.containsKey(at)) {
                unexpected.add(at + " " + header(r, DeadLetters.REASON));
              } else if (dead.put(at, r) != null) {
                duplicates.add(at);
              }
            }
            return dead.size() == expectedBad.size() || !unexpected.isEmpty() ? true : null;
          });
      assertThat(unexpected).as("dead letters of records that were good").isEmpty();
      // Read to the end: nothing arrives twice after the last expected one either.
      long end = consumer.endOffsets(List.of(tp)).get(tp);
      while (consumer.position(tp) < end) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          duplicates.add(
              header(r, DeadLetters.SOURCE_OFFSET) + " " + header(r, DeadLetters.REASON));
        }
      }
      assertThat(duplicates).as("dead-lettered twice").isEmpty();
    }
    var reasons = new TreeMap<String, Integer>();
    for (var e : dead.entrySet()) {
      String reason = header(e.getValue(), DeadLetters.REASON);
      assertThat(reason).as(expectedBad.get(e.getKey())).isNotBlank().doesNotContain("\n");
      reasons.merge(expectedBad.get(e.getKey()), 1, Integer::sum);
    }
    double seconds = (System.nanoTime() - start) / 1e9;

    // The node is up: Streams RUNNING, ready, no stream thread died in either Streams client.
    assertThat(node.featuresReady()).isTrue();
    assertThat(RawHttp.send(node.httpPort(), "GET", "/health/ready", List.of(), null).status())
        .isEqualTo(200);
    Map<String, double[]> threads = streamThreads();
    assertThat(threads).isNotEmpty();
    threads.forEach(
        (client, aliveFailed) -> {
          assertThat(aliveFailed[0]).as(client + " alive stream threads").isGreaterThanOrEqualTo(1);
          assertThat(aliveFailed[1]).as(client + " failed stream threads").isZero();
        });

    // Heap: the process holds the broker, the node and this test. Measured without forcing a
    // collection: the used heap now, and what the last collection left (when one ran).
    long max = Runtime.getRuntime().maxMemory();
    long heapAfter = usedHeap();
    long afterGc = heapAfterLastGc();
    System.out.printf(
        "FuzzIT records: seed %d, %d good, %d bad (%.1f MB of bad values) on 4 topics in %.1f s;"
            + " %d dead letters, each once; by kind %s; heap used %d MB before, %d MB after, %d MB"
            + " after the last GC, max %d MB%n",
        SEED,
        good,
        bad.size(),
        badBytes / 1e6,
        seconds,
        dead.size(),
        reasons,
        heapBefore >> 20,
        heapAfter >> 20,
        afterGc >> 20,
        max >> 20);
    // A node that kept the bad values (or a copy per retry) would hold them on the heap; the bound
    // leaves room for the broker's and the clients' buffers, not for a leak of the order of the
    // heap. Live data after a collection is the honest figure; the used heap without one includes
    // garbage, so it only has to stay clear of the maximum.
    assertThat(heapAfter).isLessThan(max * 9 / 10);
    if (afterGc > 0) {
      assertThat(afterGc).isLessThan(max / 2);
    }
  }

  private static String kindOf(ProducerRecord<byte[], byte[]> record) {
    Header h = record.headers().lastHeader("fuzz.kind");
    return new String(h.value(), StandardCharsets.UTF_8);
  }

  private static double ordinal(String tier) {
    return switch (tier == null ? "" : tier) {
      case "free" -> 0;
      case "basic" -> 1;
      case "premium" -> 2;
      default -> -1;
    };
  }

  private void sendGood(
      KafkaProducer<byte[], byte[]> producer,
      Random random,
      String topic,
      String key,
      Map<String, Truth> truth) {
    Truth t = truth.get(key);
    SpecificRecord event;
    switch (topic) {
      case "orders" -> {
        double total = Math.round(random.nextDouble() * 50_000) / 100.0;
        event = order(random, key, total, recent(random));
        t.orders++;
        t.revenue += total;
      }
      case "clicks" -> {
        String type =
            List.of("page_view", "add_to_cart", "search", "checkout").get(random.nextInt(4));
        event = click(random, key, type, recent(random));
        if (type.equals("page_view")) {
          t.pageViews++;
        } else if (type.equals("add_to_cart")) {
          t.cartAdds++;
        }
      }
      case "customers" -> {
        String tier = List.of("free", "basic", "premium").get(random.nextInt(3));
        event = customer(random, key, tier);
        t.tier = tier;
      }
      default -> event = outcome(random, key, random.nextInt(2), recent(random));
    }
    byte[] value = random.nextBoolean() ? avro(topic, event) : json(topic, event);
    producer.send(new ProducerRecord<>(topic, partitionOf(key), utf8(key), value));
  }

  /**
   * Where a good record of {@code key} goes: for half of the keys, the partition Java's producer
   * would choose; for the other half, always the next one, as a producer with another partitioner
   * (librdkafka's) puts a key on one partition of its own. Those records are moved to their key's
   * partition before they are counted, and must be counted once.
   */
  private static Integer partitionOf(String key) {
    if ((key.hashCode() & 1) == 0) {
      return null;
    }
    return (Utils.toPositive(Utils.murmur2(utf8(key))) + 1) % PARTITIONS;
  }

  private Instant recent(Random random) {
    return now.minusMillis(random.nextInt((int) Duration.ofDays(2).toMillis()));
  }

  private static Order order(Random random, String key, double total, Instant ts) {
    return Order.newBuilder()
        .setOrderId("o-" + random.nextLong())
        .setCustomerId(key)
        .setOrderTs(ts)
        .setOrderTotal(total)
        .setProductCategory(List.of("books", "toys", "food").get(random.nextInt(3)))
        .setLat(random.nextBoolean() ? null : 52.5)
        .setLon(13.4)
        .build();
  }

  private static Click click(Random random, String key, String type, Instant ts) {
    return Click.newBuilder()
        .setEventId("e-" + random.nextLong())
        .setCustomerId(key)
        .setSessionId(random.nextBoolean() ? null : "s-" + random.nextInt(5))
        .setEventType(type)
        .setEventTs(ts)
        .build();
  }

  private Customer customer(Random random, String key, String tier) {
    return Customer.newBuilder()
        .setCustomerId(key)
        .setSignupTs(now.minus(Duration.ofDays(100 + random.nextInt(300))))
        .setSubscriptionTier(tier)
        .setRegion(List.of("eu-west", "us-east", "apac").get(random.nextInt(3)))
        .setHomeLat(48.1)
        .setHomeLon(11.6)
        .build();
  }

  private static Outcome outcome(Random random, String key, int label, Instant ts) {
    return Outcome.newBuilder()
        .setCustomerId(key)
        .setOutcomeTs(ts)
        .setLabel(label)
        .setSource("fuzz-" + random.nextInt(3))
        .build();
  }

  @SuppressWarnings("unchecked")
  private static <T extends SpecificRecord> EventSerde<T> serde(String topic) {
    return (EventSerde<T>)
        switch (topic) {
          case "orders" -> EventSerdes.orders();
          case "clicks" -> EventSerdes.clicks();
          case "customers" -> EventSerdes.customers();
          default -> EventSerdes.outcomes();
        };
  }

  private static byte[] avro(String topic, SpecificRecord event) {
    return serde(topic).serializer().serialize(topic, event);
  }

  private static byte[] json(String topic, SpecificRecord event) {
    return utf8(serde(topic).toJson(event));
  }

  /** A valid event of the topic, for the mutations below. */
  private SpecificRecord validEvent(Random random, String topic, String key) {
    return switch (topic) {
      case "orders" -> order(random, key, 12.5, recent(random));
      case "clicks" -> click(random, key, "page_view", recent(random));
      case "customers" -> customer(random, key, "basic");
      default -> outcome(random, key, 1, recent(random));
    };
  }

  /**
   * A record that must be dead-lettered, with its kind in the {@code fuzz.kind} header (headers
   * travel with dead letters unchanged, so the kind also shows which record is which).
   */
  private ProducerRecord<byte[], byte[]> badRecord(Random random, String topic, String key) {
    SpecificRecord event = validEvent(random, topic, key);
    String json = serde(topic).toJson(event);
    String field =
        switch (topic) {
          case "orders" -> "order_total";
          case "clicks" -> "event_type";
          case "customers" -> "region";
          default -> "label";
        };
    String timeField =
        switch (topic) {
          case "orders" -> "order_ts";
          case "clicks" -> "event_ts";
          case "customers" -> "signup_ts";
          default -> "outcome_ts";
        };
    var kinds =
        new ArrayList<>(
            List.of(
                "random-bytes",
                "empty",
                "truncated-avro",
                "bad-fingerprint",
                "truncated-json",
                "wrong-type",
                "missing-field",
                "unknown-field",
                "null-field",
                "bad-timestamp",
                "json-array",
                "json-string",
                "null-key",
                "key-mismatch",
                "before-1970",
                "huge",
                "invalid-utf8-json"));
    if (!topic.equals("customers")) {
      kinds.add("null-value"); // on the compacted customers topic a null value is a deletion
    }
    switch (topic) {
      case "orders", "customers" -> kinds.add("not-finite");
      case "clicks" -> kinds.add("late");
      default -> kinds.add("bad-label");
    }
    String kind = kinds.get(random.nextInt(kinds.size()));
    byte[] k = utf8(key);
    Integer partition = null;
    byte[] v;
    switch (kind) {
      case "random-bytes" -> {
        v = new byte[1 + random.nextInt(300)];
        random.nextBytes(v);
        if (v[0] == '{' || v[0] == '[' || v[0] == '"') {
          v[0] = 0x01; // keep it from parsing as the start of JSON by chance
        }
      }
      case "empty" -> v = new byte[0];
      case "truncated-avro" -> {
        byte[] full = avro(topic, event);
        v = java.util.Arrays.copyOf(full, 1 + random.nextInt(full.length - 1));
      }
      case "bad-fingerprint" -> {
        v = avro(topic, event);
        v[2 + random.nextInt(8)] ^= (byte) (1 + random.nextInt(255));
      }
      case "truncated-json" -> v = utf8(json.substring(0, random.nextInt(json.length() - 1)));
      case "wrong-type" ->
          v = utf8(json.replaceFirst("\"" + field + "\":[^,}]+", "\"" + field + "\":{\"x\":[1]}"));
      case "missing-field" -> v = utf8(json.replaceFirst("\"" + field + "\":[^,}]+,?", ""));
      case "unknown-field" ->
          v = utf8(json.replaceFirst("\\{", "{\"customerId\":\"" + key + "\","));
      case "null-field" ->
          v = utf8(json.replaceFirst("\"" + timeField + "\":[^,}]+", "\"" + timeField + "\":null"));
      case "bad-timestamp" ->
          v =
              utf8(
                  json.replaceFirst(
                      "\"" + timeField + "\":[^,}]+",
                      "\""
                          + timeField
                          + "\":\""
                          + List.of(
                                  "yesterday",
                                  "2026-13-45T99:00:00Z",
                                  "1e999",
                                  "9999999999999999999999")
                              .get(random.nextInt(4))
                          + "\""));
      case "json-array" -> v = utf8("[" + json + "," + json + "]");
      case "json-string" -> v = utf8(doubleEncoded(json));
      case "null-key" -> {
        // The broker itself refuses a null key on the compacted customers topic: send an empty one.
        k = topic.equals("customers") ? new byte[0] : null;
        v = avro(topic, event);
      }
      case "key-mismatch" -> {
        k = utf8(random.nextBoolean() ? key + "x" : "K".repeat(1 + random.nextInt(20_000)));
        v = random.nextBoolean() ? avro(topic, event) : utf8(json);
      }
      case "before-1970" -> {
        Instant old = Instant.ofEpochMilli(-1 - random.nextInt(1_000_000_000));
        event.put(event.getSchema().getField(timeField).pos(), old);
        v = random.nextBoolean() ? avro(topic, event) : utf8(serde(topic).toJson(event));
      }
      case "huge" -> {
        // Over 256 KB, under the broker's 1 MB: an unknown field, or bytes that are not JSON.
        int size = 256 * 1024 + random.nextInt(512 * 1024);
        if (random.nextBoolean()) {
          v = utf8(json.replaceFirst("\\{", "{\"padding\":\"" + "x".repeat(size) + "\","));
        } else {
          v = new byte[size];
          random.nextBytes(v);
          v[0] = 0x00;
        }
      }
      case "invalid-utf8-json" -> {
        byte[] text = utf8(json);
        v = java.util.Arrays.copyOf(text, text.length);
        int quote = json.indexOf("\"" + field + "\"") + 2;
        v[quote] = (byte) 0xC3; // a lead byte followed by an ASCII letter: not UTF-8
      }
      case "null-value" -> v = null;
      case "not-finite" -> {
        double d =
            List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)
                .get(random.nextInt(3));
        event.put(
            event.getSchema().getField(topic.equals("orders") ? "order_total" : "home_lat").pos(),
            d);
        v = avro(topic, event); // JSON has no NaN; Avro binary does
      }
      case "late" -> {
        event.put(
            event.getSchema().getField(timeField).pos(),
            now.minus(Duration.ofDays(40 + random.nextInt(400))));
        v = random.nextBoolean() ? avro(topic, event) : utf8(serde(topic).toJson(event));
      }
      case "bad-label" -> {
        event.put(
            event.getSchema().getField("label").pos(),
            List.of(-1, 2, 7, Integer.MAX_VALUE).get(random.nextInt(4)));
        v = random.nextBoolean() ? avro(topic, event) : utf8(serde(topic).toJson(event));
      }
      default -> throw new IllegalStateException(kind);
    }
    var record = new ProducerRecord<>(topic, partition, k, v);
    record.headers().add("fuzz.kind", utf8(kind));
    return record;
  }

  private static String doubleEncoded(String json) {
    try {
      return JSON.writeValueAsString(json); // the object encoded twice: a JSON string
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private KafkaConsumer<byte[], byte[]> dlqConsumer() {
    return new KafkaConsumer<>(
        Map.<String, Object>of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed",
            ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
            2 * 1024 * 1024),
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /** Per Kafka Streams client: alive and failed stream threads, from its JMX metrics. */
  private static Map<String, double[]> streamThreads() throws Exception {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    var out = new TreeMap<String, double[]>();
    var seen = new ArrayList<String>();
    for (ObjectName name : server.queryNames(new ObjectName("kafka.streams:*"), null)) {
      var attributes = new HashSet<String>();
      for (var a : server.getMBeanInfo(name).getAttributes()) {
        attributes.add(a.getName());
      }
      seen.add(name + " " + attributes);
      if (attributes.contains("alive-stream-threads")) {
        double alive = ((Number) server.getAttribute(name, "alive-stream-threads")).doubleValue();
        double failed =
            attributes.contains("failed-stream-threads")
                ? ((Number) server.getAttribute(name, "failed-stream-threads")).doubleValue()
                : 0;
        out.put(name.getKeyProperty("client-id"), new double[] {alive, failed});
      }
    }
    assertThat(out).as("Streams clients in JMX: " + seen).hasSizeGreaterThanOrEqualTo(2);
    return out;
  }

  private static long usedHeap() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /**
   * Heap in use right after the most recent collection of any collector (0 if none ran yet), as the
   * JVM reported it then: no collection is forced. After a young collection old garbage is still
   * counted, so this is an upper bound of live data.
   */
  private static long heapAfterLastGc() {
    com.sun.management.GcInfo last = null;
    for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof com.sun.management.GarbageCollectorMXBean bean) {
        com.sun.management.GcInfo info = bean.getLastGcInfo();
        if (info != null && (last == null || info.getEndTime() > last.getEndTime())) {
          last = info;
        }
      }
    }
    if (last == null) {
      return 0;
    }
    var heapPools = new HashSet<String>();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        heapPools.add(pool.getName());
      }
    }
    long sum = 0;
    for (var e : last.getMemoryUsageAfterGc().entrySet()) {
      if (heapPools.contains(e.getKey())) {
        sum += e.getValue().getUsed();
      }
    }
    return sum;
  }

  // ---------------------------------------------------------------- HTTP

  /** Every route of docs/API.md (method, path with {placeholders}), and some that do not exist. */
  private static final String[][] ROUTES = {
    {"GET", "/health/live"},
    {"GET", "/health/ready"},
    {"GET", "/v2/health/live"},
    {"GET", "/v2/health/ready"},
    {"GET", "/metrics"},
    {"POST", "/serving-endpoints/{endpoint}/invocations"},
    {"POST", "/serving-endpoints/{endpoint}/served-models/{name}/invocations"},
    {"GET", "/v2/models/{endpoint}"},
    {"GET", "/v2/models/{endpoint}/ready"},
    {"POST", "/v2/models/{endpoint}/infer"},
    {"GET", "/v2/models/{endpoint}/versions/{name}/infer"},
    {"GET", "/features/{view}/{key}"},
    {"POST", "/features/lookup"},
    {"POST", "/internal/features/lookup"},
    {"GET", "/internal/experiment-entries"},
    {"POST", "/api/2.0/mlflow/registered-models/create"},
    {"GET", "/api/2.0/mlflow/registered-models/get"},
    {"GET", "/api/2.0/mlflow/registered-models/search"},
    {"POST", "/api/2.0/mlflow/model-versions/create"},
    {"GET", "/api/2.0/mlflow/model-versions/get"},
    {"POST", "/api/2.0/mlflow/registered-models/alias"},
    {"DELETE", "/api/2.0/mlflow/registered-models/alias"},
    {"GET", "/api/2.0/mlflow/registered-models/get-by-alias"},
    {"GET", "/api/2.0/serving-endpoints"},
    {"POST", "/api/2.0/serving-endpoints"},
    {"GET", "/api/2.0/serving-endpoints/{endpoint}"},
    {"PUT", "/api/2.0/serving-endpoints/{endpoint}"},
    {"PUT", "/api/2.0/serving-endpoints/{endpoint}/config"},
    {"DELETE", "/api/2.0/serving-endpoints/{endpoint}"},
    {"GET", "/api/2.0/serving-endpoints/{endpoint}/experiment"},
    {"POST", "/api/2.0/serving-endpoints/{endpoint}/promote"},
    {"POST", "/api/2.0/serving-endpoints/{endpoint}/rollback"},
    {"GET", "/{name}"},
    {"GET", "/api/2.0/mlflow/{name}"},
    {"GET", "/static/{name}"},
  };

  private static final String[] METHODS = {
    "GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "CONNECT", "FOO"
  };

  /** Path segments, already percent-encoded as they go on the wire. */
  private static final String[] SEGMENTS = {
    "churn",
    "nope",
    "customer_churn",
    "customer_risk",
    "C-1",
    "champion",
    "..",
    ".",
    "..%2F..%2Fetc%2Fpasswd",
    "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "%2e%2e",
    "..%5C..%5Cwindows",
    "%00",
    "a%00b",
    "%C3%A9",
    "%FF%FE",
    "%ZZ",
    "%",
    "a%20b",
    "%2F",
    "x".repeat(300),
    "y".repeat(7_000),
    "%7B%22a%22%3A1%7D",
    "C-1;jsessionid=1",
  };

  private static final String[] QUERIES = {
    "",
    "?name=churn",
    "?name=churn&version=1",
    "?name=churn&version=0",
    "?name=churn&version=-1",
    "?name=churn&version=abc",
    "?name=churn&version=99999999999999999999",
    "?name=churn&alias=champion",
    "?name=..%2F..%2Fetc%2Fpasswd&alias=..",
    "?name=%00&version=%00",
    "?name=&alias=",
    "?name=churn&name=other",
    "?amount=abc&lat=NaN&lon=1e999",
    "?amount=250&lat=52.52&lon=13.40",
    "?format=text",
    "?format=%ZZ",
    "?experiment_id=..%2F..",
    "?%",
    "?a=%ZZ&=&&==",
    "?" + "q=1&".repeat(2_000),
  };

  private static final String[] CONTENT_TYPES = {
    "application/json",
    "application/json; charset=utf-8",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=xyz",
    "application/octet-stream",
    "a/b;;;=",
    "",
  };

  /** Values for the slots of the body templates: valid ones, traversal, wrong types. */
  private static final String[] VALUES = {
    "\"churn\"",
    "\"C-1\"",
    "\"customer_churn\"",
    "\"churn_v1\"",
    "\"champion\"",
    "\"1\"",
    "\"../../etc/passwd\"",
    "\"%2e%2e%2f%2e%2e%2fetc%2fpasswd\"",
    "\"..\"",
    "\"/etc/passwd\"",
    "\"not-onnx.onnx\"",
    "\"link.onnx\"",
    "\"../secret.onnx\"",
    "\"a\\u0000b\"",
    "\"\"",
    "\"" + "n".repeat(5_000) + "\"",
    "\"AAAA\"",
    "\"bm90IG9ubng=\"",
    "\"%%%\"",
    "0",
    "-1",
    "1e999",
    "3.5",
    "true",
    "null",
    "[]",
    "{}",
    "[\"C-1\",\"C-2\"]",
    "{\"x\":[1,{\"y\":null}]}",
  };

  private static final String[][] BODIES = {
    {"{\"dataframe_records\":[{\"customer_id\":@}]}"},
    {"{\"instances\":[@,@]}"},
    {"{\"inputs\":[{\"name\":\"customer_id\",\"datatype\":\"BYTES\",\"shape\":[1],\"data\":[@]}]}"},
    {"{\"view\":@,\"keys\":[@]}"},
    {"{\"view\":@,\"rows\":[{\"customer_id\":@,\"amount\":@}]}"},
    {"{\"name\":@,\"description\":@}"},
    {"{\"name\":@,\"feature_service\":@,\"artifact\":@}"},
    {"{\"name\":@,\"feature_service\":\"churn_v1\",\"source\":@}"},
    {"{\"name\":@,\"alias\":@,\"version\":@}"},
    {"{\"name\":@,\"config\":{\"served_entities\":[{\"name\":@,\"entity_name\":@,\"alias\":@}]}}"},
    {
      "{\"config\":{\"served_entities\":[{\"name\":\"a\",\"entity_name\":@,\"entity_version\":@}],\"traffic_config\":{\"routes\":[{\"served_model_name\":@,\"traffic_percentage\":@}]}}}"
    },
    {"{\"served_entities\":@,\"guardrails\":@}"},
  };

  @Test
  @org.junit.jupiter.api.Order(2)
  void shouldAnswerEveryRouteWithoutA5xxAndWithJsonErrors() throws Exception {
    var random = new Random(SEED + 1);
    var statuses = new TreeMap<Integer, Integer>();
    long start = System.nanoTime();
    for (int i = 0; i < HTTP_REQUESTS; i++) {
      String[] route = ROUTES[random.nextInt(ROUTES.length)];
      String method = random.nextInt(10) < 8 ? route[0] : METHODS[random.nextInt(METHODS.length)];
      String path = fill(random, route[1]);
      String target = path + QUERIES[random.nextInt(QUERIES.length)];
      var headers = new ArrayList<String[]>();
      int auth = random.nextInt(40);
      if (auth > 2) {
        headers.add(new String[] {"Authorization", "Bearer " + (auth > 30 ? INVOKE : ADMIN)});
      } else if (auth == 1) {
        headers.add(new String[] {"Authorization", "Bearer " + "z".repeat(random.nextInt(3_000))});
      } else if (auth == 2) {
        headers.add(new String[] {"Authorization", "Basic YWRtaW46YWRtaW4="});
      }
      String contentType = CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)];
      if (!contentType.isEmpty()) {
        headers.add(new String[] {"Content-Type", contentType});
      }
      if (random.nextInt(20) == 0) {
        headers.add(
            List.of(
                    new String[] {"Content-Encoding", "gzip"},
                    new String[] {"Accept", "text/html"},
                    new String[] {"X-Forwarded-For", "10.0.0.1"},
                    new String[] {"Expect", "100-continue"},
                    new String[] {"Accept-Charset", "utf-7"},
                    new String[] {"X-Long", "v".repeat(4_000)})
                .get(random.nextInt(6)));
      }
      byte[] body = body(random, method);
      Response r;
      try {
        r = RawHttp.send(node.httpPort(), method, target, headers, body);
      } catch (IOException e) {
        throw new AssertionError("#" + i + " " + method + " " + clip(target) + ": no answer", e);
      }
      statuses.merge(r.status(), 1, Integer::sum);
      String what =
          "#"
              + i
              + " "
              + method
              + " "
              + clip(target)
              + " "
              + contentType
              + " body "
              + (body == null ? "none" : clip(new String(body, StandardCharsets.UTF_8)))
              + " -> "
              + r.status()
              + " "
              + clip(r.body());
      assertThat(r.status()).as(what).isBetween(200, 499);
      assertThat(r.body())
          .as(what)
          .doesNotContain("\tat ", "java.lang.", "org.eclipse.jetty", SECRET, "root:x:0:0");
      if (r.status() >= 400 && !method.equals("HEAD")) {
        assertJsonError(target, r, what);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "FuzzIT http: seed %d, %d requests in %.1f s, statuses %s%n",
        SEED + 1, HTTP_REQUESTS, seconds, statuses);
    assertThat(statuses.keySet()).contains(200, 400, 401, 403, 404, 413);

    // Still serving.
    assertThat(RawHttp.send(node.httpPort(), "GET", "/health/ready", List.of(), null).status())
        .isEqualTo(200);
    Response ok =
        RawHttp.send(
            node.httpPort(),
            "POST",
            "/serving-endpoints/churn/invocations",
            List.of(
                new String[] {"Authorization", "Bearer " + INVOKE},
                new String[] {"Content-Type", "application/json"}),
            utf8("{\"dataframe_records\":[{\"customer_id\":\"C-1\"}]}"));
    assertThat(ok.status()).as(ok.body()).isEqualTo(200);
    assertThat(node.featuresReady()).isTrue();
  }

  @Test
  @org.junit.jupiter.api.Order(3)
  void shouldRefuseTraversalInNamesAndSourcePathsWith400() throws Exception {
    String registry = "/api/2.0/mlflow";
    for (String name :
        List.of("../../etc/passwd", "..", "a/b", "..\\..\\x", "a\u0000b", "n".repeat(200))) {
      String quoted = JSON.writeValueAsString(name);
      assertRefused(
          "POST",
          registry + "/registered-models/create",
          "{\"name\":" + quoted + "}",
          "model name");
      assertRefused(
          "POST",
          registry + "/registered-models/alias",
          "{\"name\":\"churn\",\"alias\":" + quoted + ",\"version\":\"1\"}",
          "alias");
    }
    for (String query :
        List.of(
            "/registered-models/get?name=..%2F..%2Fetc%2Fpasswd",
            "/registered-models/get?name=%2e%2e",
            "/model-versions/get?name=..%2Fx&version=1",
            "/registered-models/get-by-alias?name=churn&alias=..%2F..")) {
      assertRefused("GET", registry + query, null, "Invalid");
    }
    for (String path :
        List.of(
            "/api/2.0/serving-endpoints/..",
            "/api/2.0/serving-endpoints/%2e%2e%2f%2e%2e%2fetc",
            "/api/2.0/serving-endpoints/a%20b",
            "/api/2.0/serving-endpoints/" + "e".repeat(100) + "/experiment")) {
      assertRefused("GET", path, null, "Invalid endpoint name");
    }
    // Jetty itself refuses a NUL in the path, as a JSON error too.
    assertRefused("GET", "/api/2.0/serving-endpoints/a%00b", null, "HTTP 400");
    // 'source' must stay inside registry.source.dir, links included; the file is never echoed.
    for (String source :
        List.of(
            "../secret.onnx",
            outside.toString(),
            "link.onnx",
            "/etc/passwd",
            "../../../../../../etc/passwd",
            "a\u0000b",
            "%2e%2e/secret.onnx",
            "not-onnx.onnx/../../secret.onnx")) {
      Response r =
          assertRefused(
              "POST",
              registry + "/model-versions/create",
              "{\"name\":\"churn\",\"feature_service\":\"churn_v1\",\"source\":"
                  + JSON.writeValueAsString(source)
                  + "}",
              "registry.source.dir");
      assertThat(r.body()).doesNotContain(SECRET, "root:");
    }
    // A file inside is read, and refused for what it is (not ONNX), never served back.
    Response inside =
        assertRefused(
            "POST",
            registry + "/model-versions/create",
            "{\"name\":\"churn\",\"feature_service\":\"churn_v1\",\"source\":\"not-onnx.onnx\"}",
            "");
    assertThat(inside.body()).doesNotContain("not an ONNX model");
    // The feature key is data, not a path: a traversal key is just an unknown customer.
    JsonNode v = get("/features/customer_churn/..%2F..%2Fetc%2Fpasswd");
    assertThat(v.get("found").asBoolean()).isFalse();
  }

  private Response assertRefused(String method, String target, String body, String mentions)
      throws IOException {
    var headers = new ArrayList<String[]>();
    headers.add(new String[] {"Authorization", "Bearer " + ADMIN});
    headers.add(new String[] {"Content-Type", "application/json"});
    Response r =
        RawHttp.send(node.httpPort(), method, target, headers, body == null ? null : utf8(body));
    String what = method + " " + clip(target) + " " + (body == null ? "" : clip(body));
    assertThat(r.status()).as(what + " -> " + r.body()).isEqualTo(400);
    assertJsonError(target, r, what);
    assertThat(JSON.readTree(r.body()).get("message").asText()).as(what).contains(mentions);
    return r;
  }

  private static void assertJsonError(String target, Response r, String what) {
    JsonNode error;
    try {
      error = JSON.readTree(r.body());
    } catch (IOException e) {
      throw new AssertionError("Not JSON: " + what, e);
    }
    assertThat(error).as(what).isNotNull();
    String message =
        target.startsWith("/v2/") && error.has("error")
            ? error.get("error").asText()
            : error.path("message").asText();
    if (!(target.startsWith("/v2/") && error.has("error"))) {
      assertThat(error.path("error_code").asText()).as(what).isNotBlank();
    }
    assertThat(message).as(what).isNotBlank();
  }

  private static String fill(Random random, String template) {
    String out = template;
    for (String slot : List.of("{endpoint}", "{name}", "{view}", "{key}")) {
      while (out.contains(slot)) {
        String value =
            random.nextInt(3) == 0
                ? switch (slot) {
                  case "{endpoint}" -> "churn";
                  case "{view}" -> "customer_churn";
                  case "{key}" -> "C-1";
                  default -> "champion";
                }
                : SEGMENTS[random.nextInt(SEGMENTS.length)];
        out =
            out.replaceFirst(
                java.util.regex.Pattern.quote(slot),
                java.util.regex.Matcher.quoteReplacement(value));
      }
    }
    return out;
  }

  private static byte[] body(Random random, String method) {
    int pick = random.nextInt(20);
    if (method.equals("GET") && pick < 12 || pick == 0) {
      return null;
    }
    if (pick == 1) {
      return new byte[0];
    }
    if (pick == 2) { // over http.max.body.bytes
      byte[] big =
          utf8(
              "{\"dataframe_records\":["
                  + "{\"customer_id\":\"C-1\"},".repeat(MAX_BODY / 10)
                  + "{}]}");
      return big;
    }
    if (pick == 3) {
      byte[] bytes = new byte[random.nextInt(200)];
      random.nextBytes(bytes);
      return bytes;
    }
    if (pick == 4) {
      return new byte[] {'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xC3, 'x', '"', '}'};
    }
    String[] template = BODIES[random.nextInt(BODIES.length)];
    var sb = new StringBuilder();
    for (char c : template[0].toCharArray()) {
      sb.append(c == '@' ? VALUES[random.nextInt(VALUES.length)] : String.valueOf(c));
    }
    String json = sb.toString();
    if (random.nextInt(10) == 0) {
      json = json.substring(0, random.nextInt(json.length()));
    }
    return utf8(json);
  }

  private static String clip(String s) {
    return s.length() <= 300 ? s : s.substring(0, 300) + "...(" + s.length() + " chars)";
  }

  private JsonNode get(String path) {
    try {
      Response r =
          RawHttp.send(
              node.httpPort(),
              "GET",
              path,
              List.<String[]>of(new String[] {"Authorization", "Bearer " + ADMIN}),
              null);
      assertThat(r.status()).as(path + " " + r.body()).isEqualTo(200);
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
