package dev.tessera.serving.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.features.topology.DeadLetters;
import dev.tessera.schemas.FeatureValue;
import dev.tessera.schemas.Order;
import dev.tessera.schemas.Prediction;
import dev.tessera.schemas.serde.EventSerdes;
import dev.tessera.schemas.topic.TopicCatalog;
import dev.tessera.serving.endpoint.Endpoint;
import dev.tessera.serving.metrics.PrometheusText;
import dev.tessera.serving.testing.Await;
import dev.tessera.serving.testing.DirectorySchemaRegistry;
import dev.tessera.serving.testing.KafkaTestCluster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
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
 * The thin slice end to end against a real Kafka broker: orders in (Avro and JSON), features in
 * RocksDB, lookups and invocations over HTTP, predictions and dead letters out.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(180)
class TesseraNodeIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  private KafkaTestCluster kafka;
  private TesseraNode node;
  private final HttpClient http = HttpClient.newHttpClient();
  private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
  private RecordMetadata garbage;
  private DirectorySchemaRegistry schemaRegistry;

  /** Order v2: a field added with a default, lat and lon gone, the total a float. */
  private static final Schema ORDER_V2 =
      new Schema.Parser()
          .parse(
              """
              {"type": "record", "name": "Order", "namespace": "dev.tessera.schemas", "fields": [
                {"name": "order_id", "type": "string"},
                {"name": "customer_id", "type": "string"},
                {"name": "order_ts", "type": {"type": "long", "logicalType": "timestamp-millis"}},
                {"name": "order_total", "type": "float"},
                {"name": "product_category", "type": "string"},
                {"name": "coupon", "type": "string", "default": ""}
              ]}
              """);

  /** Order v3: the total a string, which no Order reader can take. */
  private static final Schema ORDER_V3 =
      new Schema.Parser()
          .parse(
              """
              {"type": "record", "name": "Order", "namespace": "dev.tessera.schemas", "fields": [
                {"name": "order_id", "type": "string"},
                {"name": "customer_id", "type": "string"},
                {"name": "order_ts", "type": {"type": "long", "logicalType": "timestamp-millis"}},
                {"name": "order_total", "type": "string"},
                {"name": "product_category", "type": "string"}
              ]}
              """);

  @BeforeAll
  void startNode(@TempDir Path stateDir) throws Exception {
    kafka = KafkaTestCluster.start();
    // Order v2 in the schema directory (single-object records find it by fingerprint), v2 and an
    // incompatible v3 in a schema registry (Confluent wire-format records name their id).
    Path schemas = Files.createDirectories(stateDir.resolve("schemas"));
    Files.writeString(schemas.resolve("order-v2.avsc"), ORDER_V2.toString());
    Path registered = Files.createDirectories(stateDir.resolve("registry"));
    DirectorySchemaRegistry.register(registered, 7, ORDER_V2.toString());
    DirectorySchemaRegistry.register(registered, 9, ORDER_V3.toString());
    schemaRegistry = DirectorySchemaRegistry.serve(registered);
    node =
        TesseraNode.start(
            Map.of(
                "bootstrap.servers",
                kafka.bootstrapServers(),
                "application.id",
                "it-" + UUID.randomUUID(),
                "state.dir",
                stateDir.toString(),
                "http.port",
                "0",
                "http.max.body.bytes",
                "4096",
                "http.max.batch.rows",
                "50",
                "schemas.dir",
                schemas.toString(),
                "schema.registry.url",
                schemaRegistry.url()));
    Await.until(WAIT, "node ready", () -> node.featuresReady() ? true : null);
    produceOrders();
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    if (kafka != null) {
      kafka.close();
    }
    if (schemaRegistry != null) {
      schemaRegistry.close();
    }
  }

  private void produceOrders() throws Exception {
    var props =
        Map.<String, Object>of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true);
    try (var avro =
            new KafkaProducer<>(props, new StringSerializer(), EventSerdes.orders().serializer());
        var raw = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      String json =
          "{\"order_id\":\"o-json\",\"customer_id\":\"C-1\",\"order_ts\":\""
              + now.minus(Duration.ofDays(40))
              + "\",\"order_total\":12.5,\"product_category\":\"books\"}";
      raw.send(new ProducerRecord<>("orders", "C-1", json.getBytes(StandardCharsets.UTF_8))).get();
      avro.send(new ProducerRecord<>("orders", "C-1", order("o-1", "C-1", Duration.ofDays(1))))
          .get();
      garbage =
          raw.send(
                  new ProducerRecord<>(
                      "orders", "C-1", "not an order".getBytes(StandardCharsets.UTF_8)))
              .get();
      avro.send(new ProducerRecord<>("orders", "C-1", order("o-2", "C-1", Duration.ofHours(1))))
          .get();
      avro.send(new ProducerRecord<>("orders", "C-2", order("o-3", "C-2", Duration.ofHours(2))))
          .get();
    }
  }

  private Order order(String id, String customer, Duration ago) {
    return Order.newBuilder()
        .setOrderId(id)
        .setCustomerId(customer)
        .setOrderTs(now.minus(ago))
        .setOrderTotal(20.0)
        .setProductCategory("books")
        .build();
  }

  @Test
  @org.junit.jupiter.api.Order(1)
  void shouldServeFeaturesFromAvroAndJsonOrders() {
    JsonNode c1 =
        Await.until(
            WAIT,
            "C-1 to have 3 orders",
            () -> {
              JsonNode body = getJson("/features/customer_churn/C-1").body;
              return body.at("/features/total_orders/value").asDouble() == 3.0 ? body : null;
            });
    assertThat(c1.get("found").asBoolean()).isTrue();
    assertThat(c1.at("/features/orders_30d/value").asDouble()).isEqualTo(2.0);
    // C-2's order, produced last, may be committed in a later transaction than C-1's.
    Await.until(
        WAIT,
        "C-2 to have 1 order",
        () ->
            getJson("/features/customer_churn/C-2")
                        .body
                        .at("/features/total_orders/value")
                        .asDouble()
                    == 1.0
                ? true
                : null);
    assertThat(c1.at("/features/orders_30d/event_time").asText())
        .isEqualTo(now.minus(Duration.ofHours(1)).toString());
  }

  @Test
  @org.junit.jupiter.api.Order(1)
  void shouldCountOrdersProducedToEveryPartitionWhateverTheirKeysHashTo() throws Exception {
    // A producer may put a key on any partition (librdkafka's default partitioner, or its own
    // choice): each of these customers gets one order on each of the 3 partitions, so two of the
    // three are on another partition than a lookup reads and must be moved there, and counted once.
    var props =
        Map.<String, Object>of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true);
    List<String> customers = IntStream.rangeClosed(1, 12).mapToObj(i -> "AP-" + i).toList();
    try (var avro =
        new KafkaProducer<>(props, new StringSerializer(), EventSerdes.orders().serializer())) {
      for (String customer : customers) {
        for (int partition = 0; partition < 3; partition++) {
          avro.send(
              new ProducerRecord<>(
                  "orders",
                  partition,
                  customer,
                  order(customer + "-" + partition, customer, Duration.ofMinutes(partition + 1))));
        }
      }
      avro.flush();
    }
    for (String customer : customers) {
      JsonNode features =
          Await.until(
              WAIT,
              customer + " to have 3 orders",
              () -> {
                JsonNode body = getJson("/features/customer_churn/" + customer).body;
                return body.at("/features/total_orders/value").asDouble() >= 3.0 ? body : null;
              });
      assertThat(features.at("/features/total_orders/value").asDouble()).isEqualTo(3.0);
      assertThat(features.at("/features/orders_30d/value").asDouble()).isEqualTo(3.0);
    }
  }

  @Test
  @org.junit.jupiter.api.Order(2)
  void shouldScoreWithLookedUpFeaturesAndLogEveryPrediction() throws Exception {
    Reply reply =
        post(
            "/serving-endpoints/churn/invocations",
            "{\"dataframe_records\":[{\"customer_id\":\"C-1\"},{\"customer_id\":\"C-2\"},"
                + "{\"customer_id\":\"C-404\"}],\"client_request_id\":\"req-7\"}");
    assertThat(reply.status).isEqualTo(200);
    JsonNode predictions = reply.body.get("predictions");
    assertThat(predictions).hasSize(3);
    assertRow(predictions.get(0), "C-1", 3, 2, true);
    assertRow(predictions.get(1), "C-2", 1, 1, true);
    assertRow(predictions.get(2), "C-404", 0, 0, false);
    assertThat(reply.body.get("client_request_id").asText()).isEqualTo("req-7");

    List<ConsumerRecord<String, Prediction>> logged =
        consume(
            "predictions", new StringDeserializer(), EventSerdes.predictions().deserializer(), 3);
    var byKey = new java.util.HashMap<String, ConsumerRecord<String, Prediction>>();
    logged.forEach(r -> byKey.put(r.key(), r));
    Prediction p = byKey.get("C-1").value();
    assertThat(p.getRequestId()).endsWith("-0");
    assertThat(p.getClientRequestId()).isEqualTo("req-7");
    assertThat(p.getTs()).isBetween(now.minusSeconds(1), Instant.now());
    assertThat(p.getEndpoint()).isEqualTo("churn");
    assertThat(p.getServedEntity()).isEqualTo("champion");
    assertThat(p.getModelName()).isEqualTo("churn_model");
    assertThat(p.getModelVersion()).isEqualTo("1");
    assertThat(p.getEntityKeys()).containsExactly(Map.entry("customer_id", "C-1"));
    assertThat(p.getFeatures())
        .extracting(FeatureValue::getName, FeatureValue::getValue, FeatureValue::getFound)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("total_orders", 3.0, true),
            org.assertj.core.groups.Tuple.tuple("orders_30d", 2.0, true));
    assertThat(p.getFeatures().get(1).getEventTs()).isEqualTo(now.minus(Duration.ofHours(1)));
    assertThat(p.getScore())
        .isCloseTo(predictions.get(0).get("probability").asDouble(), within(1e-12));
    assertThat(p.getLabel()).isEqualTo(predictions.get(0).get("label").asInt());
    assertThat(p.getLatencyUs()).isPositive();
    // The seed endpoint before any config: version 0, its one entity serving the bootstrap model.
    assertThat(p.getAssignment().getExperimentId()).isEqualTo("churn:champion=churn_model/1");
    assertThat(p.getAssignment().getConfigVersion()).isZero();
    assertThat(p.getAssignment().getBucket())
        .isEqualTo(new Endpoint("churn", "churn", 1, null).bucket("C-1"))
        .isBetween(0, 9999);
    Prediction unknown = byKey.get("C-404").value();
    assertThat(unknown.getFeatures()).allSatisfy(f -> assertThat(f.getFound()).isFalse());
    assertThat(unknown.getFeatures().get(0).getEventTs()).isNull();
    assertThat(node.predictionLog().failed()).isZero();
    assertThat(node.predictionLog().dropped()).isZero();
  }

  private static void assertRow(
      JsonNode row, String customer, double total, double last30d, boolean found) {
    double expected = 1 / (1 + Math.exp(-(1.5 - 0.05 * total - 0.9 * last30d)));
    assertThat(row.get("customer_id").asText()).isEqualTo(customer);
    assertThat(row.get("probability").asDouble()).isCloseTo(expected, within(1e-6));
    assertThat(row.get("label").asInt()).isEqualTo(expected >= 0.5 ? 1 : 0);
    assertThat(row.get("served_model").asText()).isEqualTo("champion");
    assertThat(row.get("model_name").asText()).isEqualTo("churn_model");
    assertThat(row.get("model_version").asText()).isEqualTo("1");
    assertThat(row.get("features_found").asBoolean()).isEqualTo(found);
  }

  @Test
  @org.junit.jupiter.api.Order(3)
  void shouldDeadLetterGarbageWithItsReasonAndKeepProcessing() {
    ConsumerRecord<byte[], byte[]> dead =
        consume(
                TopicCatalog.DEAD_LETTERS,
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer(),
                1)
            .get(0);
    assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("not an order");
    assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo("C-1");
    Headers h = dead.headers();
    assertThat(header(h, DeadLetters.SOURCE_TOPIC)).isEqualTo("orders");
    assertThat(header(h, DeadLetters.SOURCE_PARTITION))
        .isEqualTo(Integer.toString(garbage.partition()));
    assertThat(header(h, DeadLetters.SOURCE_OFFSET)).isEqualTo(Long.toString(garbage.offset()));
    assertThat(header(h, DeadLetters.REASON)).contains("Order");
    // The order produced after the garbage was counted (C-1 has 3 orders, checked above).
    assertThat(
            getJson("/features/customer_churn/C-1")
                .body
                .at("/features/total_orders/value")
                .asDouble())
        .isEqualTo(3.0);
    assertThat(node.featuresReady()).isTrue();
    // The dead letter shows on /metrics; the prediction log and lag figures are there too.
    var metrics = PrometheusText.parse(getText("/metrics"));
    assertThat(PrometheusText.value(metrics, "tessera_streams_dropped_records_total", Map.of()))
        .isGreaterThanOrEqualTo(1);
    assertThat(
            PrometheusText.value(
                metrics, "tessera_prediction_log_dropped_total", Map.of("reason", "queue_full")))
        .isZero();
    assertThat(metrics).anyMatch(m -> m.name().equals("tessera_streams_lag_records"));
  }

  @Test
  @org.junit.jupiter.api.Order(4)
  void shouldScoreEveryRequestFormatWithLookupsRequestFieldsAndFullVectors() throws Exception {
    String path = "/serving-endpoints/churn/invocations";
    // C-1: 3 orders, 2 in 30 days (checked above). churn_v1 uses no on-demand feature, so request
    // fields are accepted, handed to the lookup and leave the answer unchanged.
    double c1 = probability(3, 2);
    Reply records =
        post(
            path,
            "{\"dataframe_records\":[{\"customer_id\":\"C-1\",\"amount\":250.0,\"lat\":52.52,"
                + "\"lon\":13.40}],\"client_request_id\":\"fmt-records\"}");
    assertThat(records.status).as(records.raw).isEqualTo(200);
    assertThat(records.body.at("/predictions/0/probability").asDouble())
        .isCloseTo(c1, within(1e-6));
    assertThat(records.body.at("/predictions/0/features_found").asBoolean()).isTrue();
    assertThat(records.body.get("client_request_id").asText()).isEqualTo("fmt-records");

    Reply split =
        post(
            path,
            "{\"dataframe_split\":{\"columns\":[\"customer_id\",\"amount\"],"
                + "\"data\":[[\"C-1\",1.0],[\"C-2\",2.0]]}}");
    assertThat(split.status).as(split.raw).isEqualTo(200);
    assertThat(split.body.at("/predictions/0/probability").asDouble()).isCloseTo(c1, within(1e-6));
    assertThat(split.body.at("/predictions/1/probability").asDouble())
        .isCloseTo(probability(1, 1), within(1e-6));

    // A full vector is scored as given: the same values give the looked-up answer, other values
    // the model's answer for them, with no lookup (an unknown key would say features_found false).
    Reply instances =
        post(
            path,
            "{\"instances\":[\"C-1\",[3,2],{\"customer_id\":\"C-nowhere\",\"total_orders\":10,"
                + "\"orders_30d\":0}],\"client_request_id\":\"fmt-vector\"}");
    assertThat(instances.status).as(instances.raw).isEqualTo(200);
    JsonNode p = instances.body.get("predictions");
    assertThat(p.get(0).get("probability").asDouble()).isCloseTo(c1, within(1e-6));
    assertThat(p.get(1).get("probability").asDouble()).isCloseTo(c1, within(1e-6));
    assertThat(p.get(1).has("features_found")).isFalse();
    assertThat(p.get(2).get("customer_id").asText()).isEqualTo("C-nowhere");
    assertThat(p.get(2).get("probability").asDouble()).isCloseTo(probability(10, 0), within(1e-6));
    assertThat(p.get(2).has("features_found")).isFalse();

    Reply inputs = post(path, "{\"inputs\":{\"customer_id\":[\"C-2\"],\"amount\":[5]}}");
    assertThat(inputs.status).as(inputs.raw).isEqualTo(200);
    assertThat(inputs.body.at("/predictions/0/probability").asDouble())
        .isCloseTo(probability(1, 1), within(1e-6));

    Reply oipKeys =
        post(
            "/v2/models/churn/infer",
            "{\"id\":\"fmt-oip\",\"inputs\":[{\"name\":\"customer_id\",\"datatype\":\"BYTES\","
                + "\"shape\":[2],\"data\":[\"C-1\",\"C-2\"]},{\"name\":\"amount\","
                + "\"datatype\":\"FP64\",\"shape\":[2],\"data\":[250.0,3.5]}]}");
    assertThat(oipKeys.status).as(oipKeys.raw).isEqualTo(200);
    assertThat(oipKeys.body.get("id").asText()).isEqualTo("fmt-oip");
    assertThat(oipKeys.body.get("model_name").asText()).isEqualTo("churn");
    assertThat(oipKeys.body.get("model_version").asText()).isEqualTo("1");
    assertThat(oipKeys.body.at("/outputs/0/data/0").asDouble()).isCloseTo(c1, within(1e-6));
    assertThat(oipKeys.body.at("/outputs/0/data/1").asDouble())
        .isCloseTo(probability(1, 1), within(1e-6));
    assertThat(oipKeys.body.at("/outputs/1/datatype").asText()).isEqualTo("INT64");

    Reply oipVector =
        post(
            "/v2/models/churn/infer",
            "{\"inputs\":[{\"name\":\"features\",\"datatype\":\"FP32\",\"shape\":[1,2],"
                + "\"data\":[[3,2]]}]}");
    assertThat(oipVector.status).as(oipVector.raw).isEqualTo(200);
    assertThat(oipVector.body.at("/outputs/0/data/0").asDouble()).isCloseTo(c1, within(1e-6));

    JsonNode meta = getJson("/v2/models/churn").body;
    assertThat(meta.at("/inputs/1/shape").toString()).isEqualTo("[-1,2]");
    assertThat(getJson("/v2/health/ready").status).isEqualTo(200);
    assertThat(getJson("/v2/models/churn/ready").body.get("ready").asBoolean()).isTrue();
    Reply unknown = post("/v2/models/nope/infer", "{}");
    assertThat(unknown.status).isEqualTo(404);
    assertThat(unknown.body.get("error").asText()).contains("nope");

    // The caller's id reaches the log; a full-vector row logs the values it was given.
    List<ConsumerRecord<String, Prediction>> logged =
        consumeUntil(
            "predictions",
            new StringDeserializer(),
            EventSerdes.predictions().deserializer(),
            seen ->
                seen.stream()
                        .filter(r -> "fmt-vector".equals(r.value().getClientRequestId()))
                        .count()
                    == 3);
    List<Prediction> vector =
        logged.stream()
            .map(ConsumerRecord::value)
            .filter(v -> "fmt-vector".equals(v.getClientRequestId()))
            .sorted(java.util.Comparator.comparing(Prediction::getRequestId))
            .toList();
    assertThat(vector.get(1).getEntityKeys()).isEmpty();
    assertThat(vector.get(1).getFeatures())
        .extracting(FeatureValue::getValue, FeatureValue::getFound)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(3.0, false),
            org.assertj.core.groups.Tuple.tuple(2.0, false));
    assertThat(vector.get(2).getEntityKeys()).containsEntry("customer_id", "C-nowhere");
    assertThat(vector.get(2).getScore()).isCloseTo(probability(10, 0), within(1e-6));
    assertThat(logged)
        .anySatisfy(r -> assertThat(r.value().getClientRequestId()).isEqualTo("fmt-oip"));
  }

  private static double probability(double total, double last30d) {
    return 1 / (1 + Math.exp(-(1.5 - 0.05 * total - 0.9 * last30d)));
  }

  @Test
  void shouldReportHealth() {
    assertThat(getJson("/health/live").status).isEqualTo(200);
    Reply ready = getJson("/health/ready");
    assertThat(ready.status).isEqualTo(200);
    assertThat(ready.body.get("status").asText()).isEqualTo("READY");
    assertThat(ready.body.get("streams").asText()).isEqualTo("RUNNING");
  }

  @Test
  void shouldAnswerBadRequestsWithJsonErrorsNamingTheProblem() {
    assertError(
        post("/serving-endpoints/churn/invocations", "{nope"),
        400,
        "MALFORMED_REQUEST",
        "not valid JSON");
    assertError(
        post("/serving-endpoints/churn/invocations", ""), 400, "MALFORMED_REQUEST", "Empty body");
    assertError(
        post("/serving-endpoints/churn/invocations", "[1]"),
        400,
        "MALFORMED_REQUEST",
        "JSON object");
    assertError(
        post("/serving-endpoints/churn/invocations", "{\"instances\":[]}"),
        400,
        "INVALID_PARAMETER_VALUE",
        "instances is empty");
    assertError(
        post("/serving-endpoints/churn/invocations", "{\"params\":{}}"),
        400,
        "MALFORMED_REQUEST",
        "'params'");
    assertError(
        post("/serving-endpoints/churn/invocations", "{\"dataframe_records\":[]}"),
        400,
        "INVALID_PARAMETER_VALUE",
        "empty");
    assertError(
        post("/serving-endpoints/churn/invocations", "{\"dataframe_records\":[{\"id\":1}]}"),
        400,
        "INVALID_PARAMETER_VALUE",
        "dataframe_records[0] needs a non-empty string customer_id");
    assertError(
        post(
            "/serving-endpoints/churn/invocations",
            "{\"dataframe_records\":[{\"customer_id\":\"C-1\"}],\"client_request_id\":5}"),
        400,
        "INVALID_PARAMETER_VALUE",
        "client_request_id");
    var rows = new ArrayList<String>();
    for (int i = 0; i < 51; i++) {
      rows.add("{\"customer_id\":\"C-" + i + "\"}");
    }
    assertError(
        post(
            "/serving-endpoints/churn/invocations",
            "{\"dataframe_records\":[" + String.join(",", rows) + "]}"),
        400,
        "INVALID_PARAMETER_VALUE",
        "at most 50");
    assertError(
        post("/serving-endpoints/churn/invocations", "{\"x\":\"" + "a".repeat(5000) + "\"}"),
        413,
        "REQUEST_TOO_LARGE",
        "");
    assertError(
        post("/serving-endpoints/nope/invocations", "{\"dataframe_records\":[]}"),
        404,
        "RESOURCE_DOES_NOT_EXIST",
        "Endpoint 'nope' does not exist");
    assertError(getJson("/features/nope/C-1"), 404, "RESOURCE_DOES_NOT_EXIST", "customer_churn");
    assertError(getJson("/no/such/route"), 404, "RESOURCE_DOES_NOT_EXIST", "");
  }

  private static void assertError(Reply reply, int status, String code, String messagePart) {
    assertThat(reply.status).as(reply.raw).isEqualTo(status);
    assertThat(reply.body.get("error_code").asText()).as(reply.raw).isEqualTo(code);
    assertThat(reply.body.get("message").asText()).as(reply.raw).contains(messagePart);
    assertThat(reply.raw).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  @org.junit.jupiter.api.Order(10)
  void shouldCountOrdersWrittenWithEveryVersionOfTheSchemaAndDeadLetterAnIncompatibleOne()
      throws Exception {
    String customer = "SE-1";
    var props =
        Map.<String, Object>of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true);
    byte[] v1 =
        EventSerdes.orders()
            .serializer()
            .serialize("orders", order("se-v1", customer, Duration.ofMinutes(4)));
    byte[] v2 = avroBody(ORDER_V2, orderRecord(ORDER_V2, "se-v2", customer, 12.5f));
    byte[] v3 = avroBody(ORDER_V3, orderRecord(ORDER_V3, "se-v3", customer, "cheap"));
    try (var raw = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      for (byte[] value :
          List.of(
              v1,
              singleObject(ORDER_V2, v2),
              confluent(7, v2),
              confluent(9, v3),
              EventSerdes.orders()
                  .serializer()
                  .serialize("orders", order("se-v1b", customer, Duration.ofMinutes(1))))) {
        raw.send(new ProducerRecord<>("orders", customer, value)).get();
      }
    }

    JsonNode features =
        Await.until(
            WAIT,
            customer + " to have 4 orders",
            () -> {
              JsonNode body = getJson("/features/customer_churn/" + customer).body;
              return body.at("/features/total_orders/value").asDouble() >= 4 ? body : null;
            });
    assertThat(features.at("/features/total_orders/value").asDouble()).isEqualTo(4.0);
    assertThat(features.at("/features/lifetime_revenue/value").asDouble())
        .as("20 + 12.5 + 12.5 + 20")
        .isEqualTo(65.0);
    ConsumerRecord<byte[], byte[]> dead =
        consumeUntil(
                TopicCatalog.DEAD_LETTERS,
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer(),
                records ->
                    records.stream()
                        .anyMatch(
                            r -> customer.equals(new String(r.key(), StandardCharsets.UTF_8))))
            .stream()
            .filter(r -> customer.equals(new String(r.key(), StandardCharsets.UTF_8)))
            .findFirst()
            .orElseThrow();
    assertThat(header(dead.headers(), DeadLetters.REASON))
        .startsWith("avro: Order: written with schema dev.tessera.schemas.Order")
        .contains("field order_total");
  }

  private GenericRecord orderRecord(Schema schema, String id, String customer, Object total) {
    GenericRecord r = new GenericData.Record(schema);
    r.put("order_id", id);
    r.put("customer_id", customer);
    r.put("order_ts", now.minus(Duration.ofMinutes(3)).toEpochMilli());
    r.put("order_total", total);
    r.put("product_category", "books");
    if (schema.getField("coupon") != null) {
      r.put("coupon", "WELCOME");
    }
    return r;
  }

  private static byte[] avroBody(Schema schema, GenericRecord record) throws IOException {
    var out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  /** Avro single-object encoding: C3 01, the schema's fingerprint (little-endian), the body. */
  private static byte[] singleObject(Schema schema, byte[] body) {
    return ByteBuffer.allocate(10 + body.length)
        .put((byte) 0xC3)
        .put((byte) 0x01)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putLong(SchemaNormalization.parsingFingerprint64(schema))
        .put(body)
        .array();
  }

  /** Confluent's wire format: byte 0, the schema id (big-endian), the body. */
  private static byte[] confluent(int id, byte[] body) {
    return ByteBuffer.allocate(5 + body.length).put((byte) 0).putInt(id).put(body).array();
  }

  private <K, V> List<ConsumerRecord<K, V>> consume(
      String topic, Deserializer<K> keys, Deserializer<V> values, int count) {
    return consumeUntil(topic, keys, values, records -> records.size() >= count);
  }

  private <K, V> List<ConsumerRecord<K, V>> consumeUntil(
      String topic,
      Deserializer<K> keys,
      Deserializer<V> values,
      java.util.function.Predicate<List<ConsumerRecord<K, V>>> done) {
    var props =
        Map.<String, Object>of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            "it-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed");
    try (var consumer = new KafkaConsumer<>(props, keys, values)) {
      consumer.subscribe(List.of(topic));
      var records = new ArrayList<ConsumerRecord<K, V>>();
      return Await.until(
          WAIT,
          "the expected records on " + topic,
          () -> {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            return done.test(records) ? records : null;
          });
    }
  }

  private static String header(Headers headers, String name) {
    return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  private record Reply(int status, JsonNode body, String raw) {}

  private Reply getJson(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET().build());
  }

  private String getText(String path) {
    try {
      HttpResponse<String> response =
          http.send(HttpRequest.newBuilder(uri(path)).GET().build(), BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      return response.body();
    } catch (Exception e) {
      throw new AssertionError("HTTP " + path + " failed", e);
    }
  }

  private Reply post(String path, String body) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + node.httpPort() + path);
  }

  private Reply send(HttpRequest request) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), JSON.readTree(response.body()), response.body());
    } catch (Exception e) {
      throw new AssertionError("HTTP " + request.uri() + " failed", e);
    }
  }
}
