package dev.tessera.serving.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.features.config.FeatureStoreConfig;
import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.definition.ShippedFeatures;
import dev.tessera.schemas.topic.TopicCatalog;
import dev.tessera.serving.cli.TesseraCommand;
import dev.tessera.serving.node.TesseraNode;
import dev.tessera.serving.testing.Await;
import dev.tessera.serving.testing.KafkaTestCluster;
import dev.tessera.serving.training.LogisticRegressionOnnx;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The registry against a real broker, through the REST API of real nodes: registrations, refusals
 * that write nothing, alias moves, a second node that sees the first's writes (and the reverse),
 * and a restarted node that rebuilds the same registry from the topic.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(240)
class ModelRegistryIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String API = "/api/2.0/mlflow";

  private final HttpClient http = HttpClient.newHttpClient();
  private final String applicationId = "registry-it-" + UUID.randomUUID();
  private final List<TesseraNode> nodes = new ArrayList<>();
  private KafkaTestCluster kafka;
  private int width;

  @BeforeAll
  void startKafka() throws Exception {
    kafka = KafkaTestCluster.start();
    FeatureRegistry features = ShippedFeatures.registry();
    width = features.columns(features.service("churn_v2").orElseThrow()).size();
  }

  @AfterAll
  void stop() {
    nodes.forEach(TesseraNode::close);
    if (kafka != null) {
      kafka.close();
    }
  }

  private TesseraNode startNode(Path stateDir) {
    var settings = new HashMap<String, String>();
    settings.put("bootstrap.servers", kafka.bootstrapServers());
    settings.put("application.id", applicationId);
    settings.put("state.dir", stateDir.toString());
    settings.put("http.port", "0");
    settings.put("http.max.body.bytes", Integer.toString(8 * 1024 * 1024));
    TesseraNode node = TesseraNode.start(settings);
    nodes.add(node);
    return node;
  }

  @Test
  void shouldRegisterAliasAndSurviveARestartAndBeSeenByASecondNode(
      @TempDir Path first, @TempDir Path second, @TempDir Path third) throws Exception {
    try {
      TesseraNode a = startNode(first);
      var changes = new CopyOnWriteArrayList<AliasChange>();
      a.modelRegistry().onAliasChange(changes::add);

      JsonNode created = post(a, "/registered-models/create", "{\"name\":\"churn\"}", 200);
      assertThat(created.at("/registered_model/name").asText()).isEqualTo("churn");
      JsonNode again = post(a, "/registered-models/create", "{\"name\":\"churn\"}", 400);
      assertThat(again.get("error_code").asText()).isEqualTo("RESOURCE_ALREADY_EXISTS");

      // Version 1: small. Version 2: a doc string makes it ~3 MB, so it spans 6 chunks.
      byte[] small = TestModels.logistic(width, 0.1);
      byte[] large = largeModel(3 * 1024 * 1024);
      JsonNode v1 = createVersion(a, small, "{\"eta\":\"0.1\"}", "{\"auc\":0.71}", 200);
      assertThat(v1.at("/model_version/version").asText()).isEqualTo("1");
      assertThat(v1.at("/model_version/feature_service").asText()).isEqualTo("churn_v2");
      assertThat(v1.at("/model_version/input_signature/shape/1").asInt()).isEqualTo(width);
      assertThat(v1.at("/model_version/params/eta").asText()).isEqualTo("0.1");
      assertThat(v1.at("/model_version/metrics/auc").asDouble()).isEqualTo(0.71);
      JsonNode v2 = createVersion(a, large, "{}", "{}", 200);
      assertThat(v2.at("/model_version/version").asText()).isEqualTo("2");
      assertThat(v2.at("/model_version/artifact_sha256").asText())
          .isEqualTo(ArtifactStore.sha256(large));

      // Refusals write nothing.
      long end = registryEndOffset();
      JsonNode narrow = createVersion(a, TestModels.logistic(width - 1, 0.1), "{}", "{}", 400);
      assertThat(narrow.get("error_code").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
      assertThat(narrow.get("message").asText()).contains("input width");
      JsonNode garbage = createVersion(a, new byte[] {1, 2, 3}, "{}", "{}", 400);
      assertThat(garbage.get("message").asText()).startsWith("Not a servable ONNX model");
      JsonNode unknownModel =
          post(
              a,
              "/model-versions/create",
              "{\"name\":\"nope\",\"feature_service\":\"churn_v2\",\"artifact\":\""
                  + Base64.getEncoder().encodeToString(small)
                  + "\"}",
              404);
      assertThat(unknownModel.get("error_code").asText()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
      JsonNode traversal =
          post(
              a,
              "/model-versions/create",
              "{\"name\":\"churn\",\"feature_service\":\"churn_v2\",\"source\":\"../../etc/passwd\"}",
              400);
      assertThat(traversal.get("message").asText()).contains("'source'");
      assertThat(registryEndOffset()).isEqualTo(end);
      assertThat(a.modelRegistry().latestVersion("churn")).isEqualTo(2);

      // Aliases.
      post(a, "/registered-models/alias", alias("champion", "1"), 200);
      post(a, "/registered-models/alias", alias("challenger", "2"), 200);
      assertThat(
              get(a, "/registered-models/get-by-alias?name=churn&alias=champion", 200)
                  .at("/model_version/version")
                  .asText())
          .isEqualTo("1");
      post(a, "/registered-models/alias", alias("champion", "2"), 200);
      JsonNode missingVersion = post(a, "/registered-models/alias", alias("champion", "9"), 404);
      assertThat(missingVersion.get("message").asText()).contains("has no version 9");
      delete(a, "/registered-models/alias?name=churn&alias=challenger", 200);
      JsonNode gone = get(a, "/registered-models/get-by-alias?name=churn&alias=challenger", 404);
      assertThat(gone.get("error_code").asText()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
      assertThat(changes)
          .containsExactly(
              new AliasChange("churn", "champion", null, 1),
              new AliasChange("churn", "challenger", null, 2),
              new AliasChange("churn", "champion", 1, 2),
              new AliasChange("churn", "challenger", 2, null));

      JsonNode model = get(a, "/registered-models/get?name=churn", 200);
      assertThat(model.at("/registered_model/latest_versions/0/version").asText()).isEqualTo("2");
      assertThat(model.at("/registered_model/aliases/0/alias").asText()).isEqualTo("champion");
      assertThat(get(a, "/registered-models/search", 200).at("/registered_models/0/name").asText())
          .isEqualTo("churn");
      assertThat(get(a, "/model-versions/get?name=churn&version=3", 404).get("message").asText())
          .contains("no version 3");

      // A second node sees what the first wrote, and the first sees what the second writes.
      TesseraNode b = startNode(second);
      assertThat(
              get(b, "/model-versions/get?name=churn&version=2", 200)
                  .at("/model_version/aliases/0")
                  .asText())
          .isEqualTo("champion");
      assertThat(b.modelRegistry().artifact("churn", 2)).isEqualTo(large);
      JsonNode v3 = createVersion(b, TestModels.logistic(width, -0.3), "{}", "{}", 200);
      assertThat(v3.at("/model_version/version").asText()).isEqualTo("3");
      post(b, "/registered-models/alias", alias("champion", "3"), 200);
      Await.until(
          WAIT,
          "node a to see champion move to 3",
          () -> a.modelRegistry().aliases("churn").get("champion") == 3 ? true : null);
      assertThat(changes).endsWith(new AliasChange("churn", "champion", 2, 3));

      // A restarted node (same broker and application id) rebuilds the same registry.
      a.close();
      nodes.remove(a);
      TesseraNode c = startNode(third);
      assertThat(c.modelRegistry().versions("churn")).hasSize(3);
      assertThat(c.modelRegistry().aliases("churn")).isEqualTo(Map.of("champion", 3));
      assertThat(c.modelRegistry().artifact("churn", 1)).isEqualTo(small);
      assertThat(c.modelRegistry().artifact("churn", 2)).isEqualTo(large);
      assertThat(
              get(c, "/registered-models/get-by-alias?name=churn&alias=champion", 200)
                  .at("/model_version/version")
                  .asText())
          .isEqualTo("3");
      assertThat(c.modelRegistry().version("churn", 1).orElseThrow().metrics())
          .containsEntry("auc", 0.71);

    } finally {
      // The state dirs are this method's: stop the nodes before JUnit deletes them.
      nodes.forEach(TesseraNode::close);
      nodes.clear();
    }
  }

  @Test
  void shouldRegisterListAndAliasFromTheCommandLineWithoutANode(@TempDir Path dir)
      throws Exception {
    Path onnx = dir.resolve("model.onnx");
    Files.write(onnx, TestModels.logistic(width, 0.2));
    Path narrow = dir.resolve("narrow.onnx");
    Files.write(narrow, TestModels.logistic(width - 1, 0.2));
    Path run = dir.resolve("run.json");
    Files.writeString(
        run,
        "{\"model_name\":\"cli_churn\",\"flavour\":\"xgboost\",\"feature_names\":[],"
            + "\"params\":{\"max_depth\":\"6\"},\"seed\":42,\"holdout_metrics\":{\"rows\":400,"
            + "\"positives\":191,\"auc\":0.81,\"threshold\":0.5,\"precision\":0.73,"
            + "\"recall\":0.66,\"accuracy\":0.72,\"log_loss\":0.56},\"train_rows\":1600,"
            + "\"train_positives\":766,\"holdout_rows\":400,\"holdout_positives\":191,"
            + "\"data_from\":\"2026-01-01T00:00:00Z\",\"data_to\":\"2026-01-02T09:19:00Z\","
            + "\"definitions_hash\":\"sha256:9f2c\",\"created_at\":\"2026-11-22T10:15:30Z\"}");
    String kafkaFlag = "--bootstrap-servers=" + kafka.bootstrapServers();

    String registered =
        cli(
            0,
            "register",
            kafkaFlag,
            "--name",
            "cli_churn",
            "--feature-service",
            "churn_v2",
            "--model",
            onnx.toString(),
            "--description",
            "from the CLI",
            "--run",
            run.toString());
    assertThat(registered).startsWith("Registered cli_churn version 1: feature service churn_v2");
    cli(
        1,
        "register",
        kafkaFlag,
        "--name",
        "cli_churn",
        "--feature-service",
        "churn_v2",
        "--model",
        narrow.toString());
    cli(
        0,
        "register",
        kafkaFlag,
        "--name",
        "cli_churn",
        "--feature-service",
        "churn_v2",
        "--model",
        onnx.toString());
    assertThat(
            cli(
                0,
                "alias",
                kafkaFlag,
                "--name",
                "cli_churn",
                "--alias",
                "champion",
                "--version",
                "1"))
        .contains("champion of cli_churn -> version 1 (new)");
    assertThat(
            cli(
                0,
                "alias",
                kafkaFlag,
                "--name",
                "cli_churn",
                "--alias",
                "champion",
                "--version",
                "2"))
        .contains("(was 1)");
    cli(1, "alias", kafkaFlag, "--name", "cli_churn", "--alias", "champion", "--version", "7");

    String table = cli(0, "models", kafkaFlag, "--name", "cli_churn");
    assertThat(table.lines()).hasSize(3);
    assertThat(table.lines().toList().get(1)).contains("cli_churn", " 1 ", "churn_v2");
    assertThat(table.lines().toList().get(2)).contains(" 2 ", "champion");

    try (var client =
        RegistryClient.open(
            new FeatureStoreConfig(Map.of("bootstrap.servers", kafka.bootstrapServers())))) {
      ModelVersion first = client.registry().version("cli_churn", 1).orElseThrow();
      assertThat(first.params()).containsEntry("max_depth", "6");
      assertThat(first.metrics()).containsEntry("auc", 0.81).containsEntry("log_loss", 0.56);
      assertThat(first.dataFrom()).isEqualTo("2026-01-01T00:00:00Z");
      assertThat(first.description()).isEqualTo("from the CLI");
      assertThat(first.source()).isEqualTo("model.onnx");
    }
  }

  @Test
  void shouldNeverGiveTwoConcurrentRegistrationsTheSameNumber() throws Exception {
    var config = new FeatureStoreConfig(Map.of("bootstrap.servers", kafka.bootstrapServers()));
    var conflicts = new AtomicInteger();
    var registered = new ConcurrentLinkedQueue<ModelVersion>();
    var expected = new ConcurrentLinkedQueue<String>();
    var pool = Executors.newFixedThreadPool(2);
    try (var one = RegistryClient.open(config);
        var two = RegistryClient.open(config)) {
      var futures = new ArrayList<Future<?>>();
      for (RegistryClient client : List.of(one, two)) {
        double offset = client == one ? 0 : 10;
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 3; i++) {
                    byte[] onnx = TestModels.logistic(width, offset + i);
                    expected.add(ArtifactStore.sha256(onnx));
                    registered.add(registerRetrying(client, onnx, conflicts));
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
      Await.until(
          WAIT,
          "both clients to see six versions",
          () ->
              two.registry().versions("race").size() == 6
                      && one.registry().versions("race").size() == 6
                  ? true
                  : null);
      assertThat(registered.stream().map(ModelVersion::version))
          .containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6);
      assertThat(one.registry().versions("race").stream().map(ModelVersion::artifactSha256))
          .containsExactlyInAnyOrderElementsOf(expected);
      assertThat(two.registry().versions("race")).isEqualTo(one.registry().versions("race"));
    } finally {
      pool.shutdownNow();
    }
    System.out.println("Concurrent registrations: " + conflicts.get() + " retried after ABORTED");
  }

  private static ModelVersion registerRetrying(
      RegistryClient client, byte[] onnx, AtomicInteger conflicts) {
    for (int attempt = 0; ; attempt++) {
      try {
        return client
            .writer()
            .createVersion(
                new NewVersion("race", "churn_v2", onnx, null, null, null, null, null, null, true));
      } catch (RegistryException e) {
        if (e.reason() != RegistryException.Reason.CONFLICT || attempt >= 50) {
          throw e;
        }
        conflicts.incrementAndGet();
      }
    }
  }

  private static String cli(int exitCode, String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    int code =
        new CommandLine(new TesseraCommand())
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err))
            .execute(args);
    assertThat(code).as(String.join(" ", args) + "\n" + out + err).isEqualTo(exitCode);
    return out.toString();
  }

  private byte[] largeModel(int docBytes) {
    var names = new ArrayList<String>();
    double[] weights = new double[width];
    for (int i = 0; i < width; i++) {
      names.add("f" + i);
    }
    // The description is stored twice (doc_string and metadata), so the model is ~2x docBytes.
    return LogisticRegressionOnnx.build(names, weights, 0.0, "x".repeat(docBytes / 2));
  }

  private JsonNode createVersion(
      TesseraNode node, byte[] onnx, String params, String metrics, int status) throws Exception {
    ObjectNode body = JSON.createObjectNode();
    body.put("name", "churn");
    body.put("feature_service", "churn_v2");
    body.put("description", "test");
    body.set("params", JSON.readTree(params));
    body.set("metrics", JSON.readTree(metrics));
    body.put("artifact", Base64.getEncoder().encodeToString(onnx));
    return post(node, "/model-versions/create", JSON.writeValueAsString(body), status);
  }

  private static String alias(String alias, String version) {
    return "{\"name\":\"churn\",\"alias\":\"" + alias + "\",\"version\":\"" + version + "\"}";
  }

  private long registryEndOffset() {
    var tp = new TopicPartition(TopicCatalog.REGISTRY, 0);
    try (var consumer =
        new KafkaConsumer<>(
            Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      return consumer.endOffsets(List.of(tp)).get(tp);
    }
  }

  private JsonNode post(TesseraNode node, String path, String body, int status) throws Exception {
    return send(
        node,
        HttpRequest.newBuilder(uri(node, path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        status);
  }

  private JsonNode get(TesseraNode node, String path, int status) throws Exception {
    return send(node, HttpRequest.newBuilder(uri(node, path)).GET().build(), status);
  }

  private JsonNode delete(TesseraNode node, String path, int status) throws Exception {
    return send(node, HttpRequest.newBuilder(uri(node, path)).DELETE().build(), status);
  }

  private static URI uri(TesseraNode node, String path) {
    return URI.create("http://127.0.0.1:" + node.httpPort() + API + path);
  }

  private JsonNode send(TesseraNode node, HttpRequest request, int status) throws Exception {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode())
        .as(request.method() + " " + request.uri() + " -> " + response.body())
        .isEqualTo(status);
    return JSON.readTree(response.body());
  }
}
