package dev.tessera.serving.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.features.definition.DefinitionsHash;
import dev.tessera.features.definition.FeatureDefinition;
import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.definition.FeatureView;
import dev.tessera.features.definition.ShippedFeatures;
import dev.tessera.schemas.serde.EventSerdes;
import dev.tessera.serving.cli.TesseraCommand;
import dev.tessera.serving.node.TesseraNode;
import dev.tessera.serving.registry.TestModels;
import dev.tessera.serving.testing.Await;
import dev.tessera.serving.testing.KafkaTestCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The catalog of one node against a real broker: views as the definitions declare them, live
 * figures after a few orders and a malformed record, lineage from features to the registered
 * versions and the churn endpoint, moved by a promotion, and the CLI reading it all.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(180)
class FeatureCatalogIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String VIEWS = "/api/2.0/feature-store/views";
  private static final String MLFLOW = "/api/2.0/mlflow";
  private static final String ENDPOINTS = "/api/2.0/serving-endpoints";
  private static final String STALE = "sha256:" + "0".repeat(64);
  private static final int CUSTOMERS = 5;

  private final FeatureRegistry definitions = ShippedFeatures.registry();
  private final HttpClient http = HttpClient.newHttpClient();
  private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
  private KafkaTestCluster kafka;
  private TesseraNode node;
  private String base;

  @BeforeAll
  void start(@TempDir Path state) throws Exception {
    kafka = KafkaTestCluster.start();
    node =
        TesseraNode.start(
            Map.of(
                "bootstrap.servers",
                kafka.bootstrapServers(),
                "application.id",
                "catalog-" + UUID.randomUUID(),
                "state.dir",
                state.toString(),
                "http.port",
                "0"));
    base = "http://127.0.0.1:" + node.httpPort();
    Await.until(WAIT, "node ready", () -> node.featuresReady() ? true : null);
    send("POST", MLFLOW + "/registered-models/create", "{\"name\":\"churn\"}");
    register(DefinitionsHash.of(definitions, "churn_v1"));
    register(STALE);
    alias("champion", 1);
    alias("challenger", 2);
    send(
        "PUT",
        ENDPOINTS + "/churn",
        ("{'config': {'served_entities': ["
                + "{'name': 'champion', 'entity_name': 'churn', 'alias': 'champion'},"
                + "{'name': 'challenger', 'entity_name': 'churn', 'alias': 'challenger'}],"
                + "'traffic_config': {'routes': ["
                + "{'served_model_name': 'champion', 'traffic_percentage': 90},"
                + "{'served_model_name': 'challenger', 'traffic_percentage': 10}]}}}")
            .replace('\'', '"'));
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  @Order(1)
  void shouldListAndSearchTheViewsAsTheDefinitionsDeclareThem() throws Exception {
    JsonNode views = send("GET", VIEWS, null).get("views");

    assertThat(views).hasSize(definitions.views().size());
    for (JsonNode v : views) {
      FeatureView view = definitions.view(v.get("name").asText()).orElseThrow();
      assertThat(v.get("owner").asText()).isEqualTo(view.owner());
      assertThat(v.get("entity").asText()).isEqualTo(view.entity());
      assertThat(v.get("start").asText()).isEqualTo(view.start().toString());
      List<String> tags = new ArrayList<>();
      v.get("tags").forEach(t -> tags.add(t.asText()));
      assertThat(tags).isEqualTo(view.tags());
      List<String> features = new ArrayList<>();
      v.get("features").forEach(f -> features.add(f.get("name").asText()));
      assertThat(features)
          .isEqualTo(view.features().stream().map(FeatureDefinition::name).toList());
    }
    assertThat(send("GET", VIEWS + "?q=churn", null).at("/views/0/name").asText())
        .isEqualTo("customer_churn");
    assertThat(send("GET", VIEWS + "?tag=region", null).get("views")).hasSize(1);
    assertThat(raw("GET", VIEWS + "?tag=Region!").statusCode()).isEqualTo(400);
    HttpResponse<String> unknown = raw("GET", VIEWS + "/customer_fraud");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("customer_churn, customer_risk, region_orders");
  }

  @Test
  @Order(2)
  void shouldShowLiveFiguresOfTheEventsThisNodeApplied() throws Exception {
    produce();
    JsonNode live =
        Await.until(
            WAIT,
            "customer_churn applying " + CUSTOMERS + " orders",
            () -> {
              JsonNode l = get(VIEWS + "/customer_churn").get("live");
              return l.get("events_applied").asLong() >= CUSTOMERS
                      && l.get("keys_held").asLong() >= CUSTOMERS
                  ? l
                  : null;
            });

    assertThat(live.get("scope").asText()).isEqualTo("node");
    assertThat(live.get("events_per_second").asDouble()).isPositive();
    assertThat(live.get("newest_event_time").asText()).isEqualTo(now.toString());
    assertThat(live.get("freshness_seconds").asDouble()).isBetween(0.0, 60.0);
    assertThat(live.at("/dead_letters/orders").asLong()).isZero();
    // customer_risk keeps only windows: applied, but no per-key count.
    JsonNode risk = get(VIEWS + "/customer_risk").get("live");
    assertThat(risk.get("events_applied").asLong()).isGreaterThanOrEqualTo(CUSTOMERS);
    assertThat(risk.get("keys_held").isNull()).isTrue();

    try (var raw = producer(new ByteArraySerializer())) {
      raw.send(
              new ProducerRecord<>(
                  "orders", "C-1", "not an order".getBytes(StandardCharsets.UTF_8)))
          .get();
    }
    Await.until(
        WAIT,
        "a dead letter counted for orders",
        () ->
            get(VIEWS + "/customer_churn").at("/live/dead_letters/orders").asLong() == 1
                ? 1
                : null);
  }

  @Test
  @Order(3)
  void shouldTraceFeaturesToTheRegisteredVersionsAndTheEndpoint() throws Exception {
    JsonNode total = feature(get(VIEWS + "/customer_churn"), "total_orders");

    assertThat(total.get("services").toString()).isEqualTo("[\"churn_v1\",\"churn_v2\"]");
    JsonNode versions = total.get("model_versions");
    assertThat(versions).hasSize(2);
    assertThat(versions.at("/0/aliases").toString()).isEqualTo("[\"champion\"]");
    assertThat(versions.at("/0/endpoints/0/endpoint").asText()).isEqualTo("churn");
    assertThat(versions.at("/0/endpoints/0/served_entity").asText()).isEqualTo("champion");
    assertThat(versions.at("/0/endpoints/0/traffic_percentage").asInt()).isEqualTo(90);
    assertThat(versions.at("/1/endpoints/0/served_entity").asText()).isEqualTo("challenger");
    assertThat(versions.at("/1/endpoints/0/traffic_percentage").asInt()).isEqualTo(10);
    assertThat(feature(get(VIEWS + "/customer_churn"), "page_views_30d").get("model_versions"))
        .isEmpty();

    JsonNode v1 = get("/api/2.0/feature-store/models/churn/versions/1/lineage");
    assertThat(v1.get("definitions_hash").asText())
        .isEqualTo(DefinitionsHash.of(definitions, "churn_v1"));
    assertThat(v1.get("skew_warning").isNull()).isTrue();
    JsonNode v2 = get("/api/2.0/feature-store/models/churn/versions/2/lineage");
    assertThat(v2.get("definitions_hash").asText()).isEqualTo(STALE);
    assertThat(v2.get("skew_warning").asText()).contains("training/serving skew");
    assertThat(raw("GET", "/api/2.0/feature-store/models/churn/versions/3/lineage").statusCode())
        .isEqualTo(404);
  }

  @Test
  @Order(4)
  void shouldMoveLineageWhenTheChallengerIsPromoted() throws Exception {
    send("POST", ENDPOINTS + "/churn/promote", "");

    JsonNode v2 = get("/api/2.0/feature-store/models/churn/versions/2/lineage");
    assertThat(v2.get("aliases").toString()).isEqualTo("[\"challenger\",\"champion\"]");
    List<String> served = new ArrayList<>();
    v2.get("endpoints")
        .forEach(
            e ->
                served.add(
                    e.get("served_entity").asText() + " " + e.get("traffic_percentage").asInt()));
    assertThat(served).contains("champion 100");
    JsonNode v1 = get("/api/2.0/feature-store/models/churn/versions/1/lineage");
    assertThat(v1.get("endpoints")).isEmpty();
    assertThat(v1.get("aliases")).isEmpty();
  }

  @Test
  @Order(5)
  void shouldPrintTheCatalogFromTheCommandLine() {
    String list = cli(0, "features", "list", "--tag", "churn", "--url", base);
    assertThat(list)
        .contains("customer_churn  (entity customer_id, owner growth-ml)")
        .contains("dead letters clicks 0, orders 1")
        .doesNotContain("customer_risk");

    String described = cli(0, "features", "describe", "customer_churn", "--url", base);
    assertThat(described)
        .containsPattern("total_orders +aggregate +count +orders +lifetime +double +0\n")
        .contains("model churn v2 (churn_v1) @challenger, @champion -> churn/champion 100%");

    String missing = cli(1, "features", "describe", "customer_fraud", "--url", base);
    assertThat(missing).contains("404").contains("Unknown feature view 'customer_fraud'");
  }

  /** Runs the CLI; returns what it printed on stdout and stderr. */
  private static String cli(int expectedExit, String... args) {
    var out = new StringWriter();
    int exit =
        new CommandLine(new TesseraCommand())
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(out, true))
            .setExecutionExceptionHandler(
                (e, command, parsed) -> {
                  command.getErr().println(e.getMessage());
                  return 1;
                })
            .execute(args);
    assertThat(exit).as(out.toString()).isEqualTo(expectedExit);
    return out.toString();
  }

  private static JsonNode feature(JsonNode view, String name) {
    for (JsonNode f : view.get("features")) {
      if (f.get("name").asText().equals(name)) {
        return f;
      }
    }
    throw new AssertionError("No feature " + name + " in " + view);
  }

  private void produce() throws Exception {
    try (var orders = producer(EventSerdes.orders().serializer())) {
      for (int i = 1; i <= CUSTOMERS; i++) {
        String customer = "C-" + i;
        orders
            .send(
                new ProducerRecord<>(
                    "orders",
                    customer,
                    // Qualified: JUnit's @Order takes the simple name.
                    dev.tessera.schemas.Order.newBuilder()
                        .setOrderId("o-" + i)
                        .setCustomerId(customer)
                        .setOrderTs(i == CUSTOMERS ? now : now.minusSeconds(CUSTOMERS - i))
                        .setOrderTotal(10.0 * i)
                        .setProductCategory("books")
                        .build()))
            .get();
      }
    }
  }

  private <V> KafkaProducer<String, V> producer(Serializer<V> values) {
    return new KafkaProducer<>(
        Map.<String, Object>of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true),
        new StringSerializer(),
        values);
  }

  private void register(String definitionsHash) throws Exception {
    send(
        "POST",
        MLFLOW + "/model-versions/create",
        JSON.writeValueAsString(
            Map.of(
                "name",
                "churn",
                "feature_service",
                "churn_v1",
                "params",
                Map.of("definitions_hash", definitionsHash),
                "artifact",
                Base64.getEncoder().encodeToString(TestModels.forService("churn_v1", 0.1)))));
  }

  private void alias(String alias, int version) throws Exception {
    send(
        "POST",
        MLFLOW + "/registered-models/alias",
        "{\"name\":\"churn\",\"alias\":\"" + alias + "\",\"version\":\"" + version + "\"}");
  }

  private JsonNode get(String path) {
    try {
      return send("GET", path, null);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** A call that must answer 2xx; its JSON body. */
  private JsonNode send(String method, String path, String body) throws Exception {
    HttpResponse<String> r = raw(method, path, body);
    assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isBetween(200, 299);
    return JSON.readTree(r.body());
  }

  private HttpResponse<String> raw(String method, String path) throws Exception {
    return raw(method, path, null);
  }

  private HttpResponse<String> raw(String method, String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
