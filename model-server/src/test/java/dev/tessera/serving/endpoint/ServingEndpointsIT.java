package dev.tessera.serving.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.features.definition.ShippedFeatures;
import dev.tessera.serving.endpoint.TrafficSplit.Route;
import dev.tessera.serving.node.TesseraNode;
import dev.tessera.serving.testing.Await;
import dev.tessera.serving.testing.KafkaTestCluster;
import dev.tessera.serving.training.LogisticRegressionOnnx;
import dev.tessera.serving.training.OnnxProtos;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One node against a real broker: endpoint configs over the REST API with their refusals, sticky
 * 90/10 routing, pinned invocations, the experiment report counting exactly what was served, a
 * challenger that fails pulled back by its guardrail, and promote / rollback.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(240)
class ServingEndpointsIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MLFLOW = "/api/2.0/mlflow";
  private static final String ENDPOINTS = "/api/2.0/serving-endpoints";

  private final HttpClient http = HttpClient.newHttpClient();
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
                "endpoints-" + UUID.randomUUID(),
                "state.dir",
                state.toString(),
                "http.port",
                "0",
                "guardrail.check.interval.ms",
                "200"));
    base = "http://127.0.0.1:" + node.httpPort();
    assertOk(send("POST", MLFLOW + "/registered-models/create", "{\"name\":\"churn\"}"));
    register(LogisticRegressionOnnx.build(List.of("a", "b"), new double[] {0.3, 0.3}, 0, "v1"));
    register(LogisticRegressionOnnx.build(List.of("a", "b"), new double[] {-0.2, 0.1}, 0, "v2"));
    register(nanForPositiveInputs()); // v3: fails on every real row
    register(slow()); // v4: 27 million multiply-adds per row
    alias("champion", 1);
    alias("challenger", 2);
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
  void shouldRefuseBadConfigsWithAClearReason() throws Exception {
    assertError(
        send(
            "PUT",
            ENDPOINTS + "/churn",
            config(90, 10, "alias", "\"challenger\"", 500).replace("10}", "5}")),
        400,
        "add up to 95%");
    assertError(
        send("PUT", ENDPOINTS + "/churn", config(90, 10, "entity_version", "\"9\"", 500)),
        400,
        "churn v9, which the registry does not have");
    assertError(send("PUT", ENDPOINTS + "/churn", "{\"config\": "), 400, "JSON");
    assertError(
        send("PUT", ENDPOINTS + "/churn", "{\"config\": {\"served_entities\": [], \"x\": 1}}"),
        400,
        "unknown field x");
    assertError(send("PUT", ENDPOINTS + "/fraud/config", "{}"), 404, "no stored config");
    assertError(send("DELETE", ENDPOINTS + "/fraud", null), 404, "does not exist");
    assertError(send("GET", ENDPOINTS + "/fraud", null), 404, "does not exist");
    // The seed endpoint exists before any config: its default, not stored.
    JsonNode churn = assertOk(send("GET", ENDPOINTS + "/churn", null));
    assertThat(churn.get("stored").asBoolean()).isFalse();
    assertThat(churn.at("/served_here/served_entities/0/model_version").asText()).isEqualTo("1");
  }

  @Test
  @Order(2)
  void shouldRouteEachCustomerStickilyNinetyTenAndCountItInTheExperiment() throws Exception {
    JsonNode stored =
        assertOk(send("PUT", ENDPOINTS + "/churn", config(90, 10, "alias", "\"challenger\"", 500)));
    assertThat(stored.get("config_version").asLong()).isEqualTo(1);
    awaitServedConfig(1);

    var split = TrafficSplit.of(List.of(new Route("champion", 90), new Route("challenger", 10)));
    var served = new HashMap<String, Integer>();
    for (int batch = 0; batch < 4; batch++) {
      JsonNode predictions = invoke("/serving-endpoints/churn/invocations", batch, 100);
      for (int i = 0; i < 100; i++) {
        String key = "C-" + (batch * 100 + i);
        JsonNode p = predictions.get(i);
        String expected = split.route(Endpoint.bucket("churn", key));
        assertThat(p.get("served_model").asText()).as(key).isEqualTo(expected);
        assertThat(p.get("model_version").asText())
            .isEqualTo(expected.equals("champion") ? "1" : "2");
        served.merge(expected, 1, Integer::sum);
      }
    }
    assertThat(served.get("challenger")).isBetween(20, 60);

    JsonNode pinned =
        invoke("/serving-endpoints/churn/served-models/challenger/invocations", 0, 50);
    for (JsonNode p : pinned) {
      assertThat(p.get("served_model").asText()).isEqualTo("challenger");
    }
    served.merge("challenger", 50, Integer::sum);

    // The experiment counts every logged row, per variant, across the node's partitions.
    JsonNode report =
        Await.until(
            WAIT,
            "experiment counting " + served,
            () -> {
              JsonNode r = getOrNull(ENDPOINTS + "/churn/experiment");
              return r != null
                      && r.at("/report/variants/0/predictions").asInt() == served.get("champion")
                      && r.at("/report/variants/1/predictions").asInt() == served.get("challenger")
                  ? r
                  : null;
            });
    assertThat(report.get("experiment_id").asText())
        .isEqualTo("churn:champion=churn/1,challenger=churn/2");
    assertThat(report.at("/report/variants/0/variant").asText()).isEqualTo("champion");
    assertThat(report.at("/guardrails/status").asText()).isEqualTo("ok");
    String text = sendText(ENDPOINTS + "/churn/experiment?format=text");
    assertThat(text).contains("champion").contains("challenger").contains("Sample ratio");
  }

  @Test
  @Order(3)
  void shouldPullAFailingChallengerBackToTheChampionAndAuditWhy() throws Exception {
    // Every row routed to the failing challenger is still answered, by the champion.
    JsonNode last =
        pullBackOf(
            "3",
            4,
            p -> {
              assertThat(p.get("served_model").asText()).isEqualTo("champion");
              assertThat(p.get("probability").asDouble()).isBetween(0.0, 1.0);
            });
    assertThat(last.get("reason").asText()).contains("error rate");
    assertThat(last.at("/details/challenger_error_rate").asDouble()).isGreaterThan(0.9);
  }

  @Test
  @Order(4)
  void shouldPullASlowChallengerBackToTheChampion() throws Exception {
    // Enough rows that a pause of the machine in a few champion requests does not make its p99.
    JsonNode last = pullBackOf("4", 8, p -> {});
    assertThat(last.get("reason").asText()).contains("p99 latency");
    assertThat(last.at("/details/challenger_latency_p99_us").asDouble())
        .isGreaterThan(2 * last.at("/details/champion_latency_p99_us").asDouble());
  }

  /**
   * Puts a 50/50 config with the challenger at {@code version}, sends {@code batches} of 100 rows
   * (each answer checked by {@code eachAnswer}), and waits for the guardrail to give the champion
   * all the traffic: the config's next version, whose last event is returned.
   */
  private JsonNode pullBackOf(String version, int batches, Consumer<JsonNode> eachAnswer)
      throws Exception {
    JsonNode stored =
        assertOk(
            send(
                "PUT",
                ENDPOINTS + "/churn/config",
                configBody(50, 50, "entity_version", "\"" + version + "\"", 100)));
    long configVersion = stored.get("config_version").asLong();
    awaitServedConfig(configVersion);
    for (int batch = 0; batch < batches; batch++) {
      invoke("/serving-endpoints/churn/invocations", batch, 100).forEach(eachAnswer);
    }
    JsonNode pulled;
    try {
      pulled =
          Await.until(
              WAIT.multipliedBy(2),
              "guardrail pulling challenger v" + version + " back",
              () -> {
                JsonNode e = getOrNull(ENDPOINTS + "/churn");
                return e != null && e.get("config_version").asLong() == configVersion + 1
                    ? e
                    : null;
              });
    } catch (AssertionError e) {
      throw new AssertionError(
          e.getMessage()
              + "; the experiment:\n"
              + sendText(ENDPOINTS + "/churn/experiment?format=text"),
          e);
    }
    assertThat(pulled.at("/config/traffic_config/routes/0/traffic_percentage").asInt())
        .isEqualTo(100);
    assertThat(pulled.at("/config/traffic_config/routes/1/traffic_percentage").asInt()).isZero();
    JsonNode last = pulled.get("events").get(pulled.get("events").size() - 1);
    assertThat(last.get("action").asText()).isEqualTo("GUARDRAIL_ROLLBACK");
    return last;
  }

  @Test
  @Order(5)
  void shouldAnswerEveryRequestWhileTheConfigChanges() throws Exception {
    var configs =
        List.of(
            configBody(70, 30, "alias", "\"challenger\"", 500),
            "{\"served_entities\": [{\"name\": \"champion\", \"entity_name\": \"churn\","
                + " \"alias\": \"champion\"}]}",
            configBody(90, 10, "entity_version", "\"2\"", 500),
            configBody(50, 50, "alias", "\"challenger\"", 500));
    var answered = new AtomicLong();
    var failures = new ConcurrentLinkedQueue<String>();
    var stop = new AtomicBoolean();
    var clients = new ArrayList<Thread>();
    for (int c = 0; c < 2; c++) {
      int client = c;
      var t =
          new Thread(
              () -> {
                int batch = 0;
                while (!stop.get()) {
                  try {
                    HttpResponse<String> r =
                        send(
                            "POST",
                            "/serving-endpoints/churn/invocations",
                            records(client * 1_000 + batch++ % 50, 10));
                    if (r.statusCode() == 200) {
                      answered.incrementAndGet();
                    } else {
                      failures.add(r.statusCode() + " " + r.body());
                    }
                  } catch (Exception e) {
                    failures.add(e.toString());
                  }
                }
              });
      t.start();
      clients.add(t);
    }
    try {
      for (int round = 0; round < 2; round++) {
        for (String config : configs) {
          long before = answered.get();
          long version =
              assertOk(send("PUT", ENDPOINTS + "/churn/config", config))
                  .get("config_version")
                  .asLong();
          awaitServedConfig(version);
          Await.until(
              WAIT,
              "requests on config v" + version,
              () -> answered.get() > before + 20 ? true : null);
        }
      }
    } finally {
      stop.set(true);
      for (Thread t : clients) {
        t.join();
      }
    }
    assertThat(failures).isEmpty();
    assertThat(answered.get()).isGreaterThan(160);
  }

  @Test
  @Order(6)
  void shouldPromoteTheChallengerAndRollThePromotionBack() throws Exception {
    assertOk(
        send(
            "PUT",
            ENDPOINTS + "/churn/config",
            configBody(90, 10, "alias", "\"challenger\"", 500)));
    JsonNode promoted = assertOk(send("POST", ENDPOINTS + "/churn/promote", ""));
    assertThat(promoted.at("/config/traffic_config/routes/0/traffic_percentage").asInt())
        .isEqualTo(100);
    assertThat(node.modelRegistry().aliases("churn").get("champion")).isEqualTo(2);
    assertError(send("POST", ENDPOINTS + "/churn/promote", ""), 409, "is already the champion");
    Await.until(
        WAIT,
        "champion serving v2",
        () -> {
          JsonNode p = invokeOrNull("/serving-endpoints/churn/served-models/champion/invocations");
          return p != null && p.get(0).get("model_version").asText().equals("2") ? true : null;
        });

    JsonNode rolledBack = assertOk(send("POST", ENDPOINTS + "/churn/rollback", ""));
    assertThat(rolledBack.at("/config/traffic_config/routes/0/traffic_percentage").asInt())
        .isEqualTo(90);
    assertThat(node.modelRegistry().aliases("churn").get("champion")).isEqualTo(1);
    List<String> actions = new ArrayList<>();
    rolledBack.get("events").forEach(e -> actions.add(e.get("action").asText()));
    assertThat(actions).containsSubsequence("PROMOTE", "ROLLBACK");
    assertError(send("POST", ENDPOINTS + "/churn/rollback", ""), 409, "no promotion to roll back");

    assertOk(send("DELETE", ENDPOINTS + "/churn", null));
    JsonNode back =
        Await.until(
            WAIT,
            "seed default",
            () -> {
              JsonNode e = getOrNull(ENDPOINTS + "/churn");
              return e != null
                      && !e.get("stored").asBoolean()
                      && e.at("/served_here/config_version").asLong() == 0
                  ? e
                  : null;
            });
    assertThat(back.at("/config/traffic_config/routes/0/served_model_name").asText())
        .isEqualTo("champion");
  }

  private void awaitServedConfig(long version) {
    Await.until(
        WAIT,
        "config v" + version + " served",
        () -> {
          JsonNode e = getOrNull(ENDPOINTS + "/churn");
          return e != null && e.at("/served_here/config_version").asLong() == version ? e : null;
        });
  }

  /** Rows C-(batch*n) .. with full vectors (a, b) = (1, 1), so no lookups are needed. */
  private JsonNode invoke(String path, int batch, int n) throws Exception {
    return assertOk(send("POST", path, records(batch, n))).get("predictions");
  }

  private static String records(int batch, int n) throws Exception {
    var records = new ArrayList<Map<String, Object>>();
    for (int i = 0; i < n; i++) {
      records.add(
          Map.of("customer_id", "C-" + (batch * n + i), "total_orders", 1, "orders_30d", 1));
    }
    return JSON.writeValueAsString(Map.of("dataframe_records", records));
  }

  private JsonNode invokeOrNull(String path) {
    try {
      return invoke(path, 0, 1);
    } catch (Exception | AssertionError e) {
      return null;
    }
  }

  private static String config(
      int champion, int challenger, String field, String value, int minPredictions) {
    return "{\"config\": " + configBody(champion, challenger, field, value, minPredictions) + "}";
  }

  private static String configBody(
      int champion, int challenger, String field, String value, int minPredictions) {
    return ("{'served_entities': ["
            + "{'name': 'champion', 'entity_name': 'churn', 'alias': 'champion'},"
            + "{'name': 'challenger', 'entity_name': 'churn', '"
            + field
            + "': "
            + value.replace('"', '\'')
            + "}],"
            + "'traffic_config': {'routes': ["
            + "{'served_model_name': 'champion', 'traffic_percentage': "
            + champion
            + "},"
            + "{'served_model_name': 'challenger', 'traffic_percentage': "
            + challenger
            + "}]},"
            + "'guardrails': {'min_predictions': "
            + minPredictions
            + "}}")
        .replace('\'', '"');
  }

  private void register(byte[] onnx) throws Exception {
    String body =
        JSON.writeValueAsString(
            Map.of(
                "name", "churn",
                "feature_service", "churn_v1",
                "artifact", Base64.getEncoder().encodeToString(onnx)));
    assertOk(send("POST", MLFLOW + "/model-versions/create", body));
  }

  private void alias(String alias, int version) throws Exception {
    assertOk(
        send(
            "POST",
            MLFLOW + "/registered-models/alias",
            "{\"name\":\"churn\",\"alias\":\"" + alias + "\",\"version\":\"" + version + "\"}"));
  }

  /**
   * A regressor that answers sqrt(-(a + b)): 0 on the registry's smoke row of zeros, NaN on any row
   * with positive inputs.
   */
  private static byte[] nanForPositiveInputs() {
    int width = ShippedFeatures.registry().columns(ShippedFeatures.churnV1()).size();
    TensorProto.Builder w =
        TensorProto.newBuilder()
            .setName("W")
            .setDataType(TensorProto.DataType.FLOAT_VALUE)
            .addDims(width)
            .addDims(1);
    for (int i = 0; i < width; i++) {
      w.addFloatData(1f);
    }
    GraphProto graph =
        GraphProto.newBuilder()
            .setName("nan_for_positive_inputs")
            .addInput(OnnxProtos.tensor("features", TensorProto.DataType.FLOAT_VALUE, "N", width))
            .addOutput(OnnxProtos.tensor("variable", TensorProto.DataType.FLOAT_VALUE, "N", 1))
            .addInitializer(w)
            .addNode(node("MatMul", List.of("features", "W"), "sum"))
            .addNode(node("Neg", List.of("sum"), "negative"))
            .addNode(node("Sqrt", List.of("negative"), "variable"))
            .build();
    return ModelProto.newBuilder()
        .setIrVersion(8)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
        .setGraph(graph)
        .build()
        .toByteArray();
  }

  /**
   * A classifier whose every row costs about a million multiply-adds: features → 300 wide, ten
   * times through the same 300 × 300 layer, → summed → sigmoid (0.5 on any row: the weights are
   * zero). One shared layer keeps the artifact small enough for one registration request.
   */
  private static final int LAYERS = 300;

  private static byte[] slow() {
    int width = ShippedFeatures.registry().columns(ShippedFeatures.churnV1()).size();
    int wide = 300;
    GraphProto.Builder graph =
        GraphProto.newBuilder()
            .setName("slow")
            .addInput(OnnxProtos.tensor("features", TensorProto.DataType.FLOAT_VALUE, "N", width))
            .addOutput(OnnxProtos.tensor("probability", TensorProto.DataType.FLOAT_VALUE, "N", 1))
            .addInitializer(zeros("W1", width, wide))
            .addInitializer(zeros("W2", wide, wide))
            .addInitializer(zeros("W3", wide, 1))
            .addNode(node("MatMul", List.of("features", "W1"), "h0"));
    for (int layer = 1; layer <= LAYERS; layer++) {
      graph.addNode(node("MatMul", List.of("h" + (layer - 1), "W2"), "h" + layer));
    }
    graph
        .addNode(node("MatMul", List.of("h" + LAYERS, "W3"), "logit"))
        .addNode(node("Sigmoid", List.of("logit"), "probability"));
    return ModelProto.newBuilder()
        .setIrVersion(8)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
        .setGraph(graph)
        .build()
        .toByteArray();
  }

  private static TensorProto zeros(String name, int rows, int columns) {
    var t =
        TensorProto.newBuilder()
            .setName(name)
            .setDataType(TensorProto.DataType.FLOAT_VALUE)
            .addDims(rows)
            .addDims(columns);
    // Raw little-endian bytes: a million zero floats, without a million list entries.
    t.setRawData(com.google.protobuf.ByteString.copyFrom(new byte[4 * rows * columns]));
    return t.build();
  }

  private static NodeProto node(String op, List<String> inputs, String output) {
    return NodeProto.newBuilder()
        .setOpType(op)
        .setName(output)
        .addAllInput(inputs)
        .addOutput(output)
        .build();
  }

  private JsonNode getOrNull(String path) {
    try {
      HttpResponse<String> r = send("GET", path, null);
      return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
    } catch (Exception e) {
      return null;
    }
  }

  private String sendText(String path) throws Exception {
    HttpResponse<String> r = send("GET", path, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode assertOk(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static void assertError(HttpResponse<String> r, int status, String message)
      throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("message").asText()).contains(message);
    assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
  }
}
