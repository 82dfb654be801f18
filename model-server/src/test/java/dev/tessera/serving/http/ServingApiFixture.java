package dev.tessera.serving.http;

import ai.onnxruntime.OrtEnvironment;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.definition.FeatureService;
import dev.tessera.features.definition.FeatureView;
import dev.tessera.features.definition.ShippedFeatures;
import dev.tessera.features.query.FeatureVector;
import dev.tessera.schemas.Prediction;
import dev.tessera.schemas.topic.TopicCatalog;
import dev.tessera.serving.config.ServingConfig;
import dev.tessera.serving.endpoint.Endpoint;
import dev.tessera.serving.endpoint.ServedModel;
import dev.tessera.serving.inference.InferenceService;
import dev.tessera.serving.inference.PredictionLog;
import dev.tessera.serving.metrics.ServingMetrics;
import dev.tessera.serving.node.BootstrapModel;
import dev.tessera.serving.scoring.OnnxScorer;
import dev.tessera.serving.training.LogisticRegressionOnnx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The serving routes over real HTTP with no broker: the churn endpoint serves a logistic model over
 * churn_v1 (total_orders, orders_30d) whose features come from a fake lookup (key "C-n" has n
 * orders, n in the last 30 days; any other key has none and is not found), and predictions go to a
 * MockProducer. The /features routes are not served (no router).
 */
final class ServingApiFixture implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  final FeatureRegistry registry = ShippedFeatures.registry();
  final Map<String, Map<String, Double>> requestsSeen = new ConcurrentHashMap<>();
  final MockProducer<String, Prediction> producer;
  final PredictionLog predictionLog;
  final InferenceService inference;
  final HttpApi api;
  final boolean[] featuresReady = {true};
  private final HttpClient http = HttpClient.newHttpClient();

  ServingApiFixture(int maxRows, long maxBodyBytes) {
    this(maxRows, maxBodyBytes, Map.of());
  }

  /** The API with further settings, e.g. {@code auth.tokens}, and extra route groups. */
  ServingApiFixture(
      int maxRows, long maxBodyBytes, Map<String, String> settings, ApiRoutes... extra) {
    var topic = TopicCatalog.defaults().predictions();
    producer =
        new MockProducer<>(true, null, new StringSerializer(), topic.valueSerde().serializer());
    predictionLog = PredictionLog.start(topic, producer, 100_000);
    var model =
        new ServedModel(
            "churn_model-1",
            "churn_model",
            "1",
            ShippedFeatures.churnV1(),
            OnnxScorer.load(OrtEnvironment.getEnvironment(), BootstrapModel.onnx()));
    // An entity of two key fields: requests name both, the lookup gets them joined.
    var pairs =
        new ServedModel(
            "pairs_model-1",
            "pairs_model",
            "1",
            new FeatureService(
                "pairs_v1",
                List.of(
                    new FeatureService.FeatureRef(
                        "user_merchant_transactions", "transactions_1d"))),
            OnnxScorer.load(
                OrtEnvironment.getEnvironment(),
                LogisticRegressionOnnx.build(
                    List.of("transactions_1d"), new double[] {0.5}, -1.0, "pairs")));
    inference =
        new InferenceService(
            List.of(
                new Endpoint("churn", "churn", 1, model), new Endpoint("pairs", "pairs", 1, pairs)),
            registry,
            this::lookup,
            predictionLog,
            Clock.systemUTC());
    var effective = new HashMap<>(settings);
    effective.put("http.port", "0");
    effective.put("http.max.batch.rows", Integer.toString(maxRows));
    effective.put("http.max.body.bytes", Long.toString(maxBodyBytes));
    var config = new ServingConfig(effective);
    api =
        HttpApi.start(
            HttpListener.bind(config.httpHost(), 0),
            config,
            inference,
            null,
            registry,
            null,
            null,
            new NodeStatus() {
              @Override
              public String streamsState() {
                return "RUNNING";
              }

              @Override
              public boolean featuresReady() {
                return featuresReady[0];
              }

              @Override
              public int modelsLoaded() {
                return 1;
              }
            },
            Clock.systemUTC(),
            ServingMetrics.create(),
            extra);
  }

  /** The bootstrap model's answer for (total_orders, orders_30d), computed by hand. */
  static double expected(double totalOrders, double orders30d) {
    return 1 / (1 + Math.exp(-(1.5 - 0.05 * totalOrders - 0.9 * orders30d)));
  }

  private FeatureVector lookup(String view, String key, long asOf, Map<String, Double> request) {
    requestsSeen.put(key, Map.copyOf(request));
    FeatureView v = registry.view(view).orElseThrow();
    List<String> names = v.columns();
    double[] values = new double[names.size()];
    long[] times = new long[names.size()];
    // "C-n" has n of everything; a pair "U-n|M-m" has n + m.
    boolean pair = key.matches("U-\\d+\\|M-\\d+");
    boolean found = key.matches("C-\\d+") || pair;
    double value =
        pair
            ? Double.parseDouble(key.substring(2, key.indexOf('|')))
                + Double.parseDouble(key.substring(key.indexOf('|') + 3))
            : found ? Double.parseDouble(key.substring(2)) : 0;
    Arrays.fill(values, value);
    Arrays.fill(times, found ? asOf - 1_000 : Long.MIN_VALUE);
    return new FeatureVector(view, key, asOf, found, names, values, times, 0, "local");
  }

  record Reply(int status, String body, Map<String, List<String>> headers) {
    Reply(int status, String body) {
      this(status, body, Map.of());
    }

    /** The first value of a response header, if there is one. */
    Optional<String> header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty())
          .map(e -> e.getValue().get(0))
          .findFirst();
    }

    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("Not JSON: " + body, e);
      }
    }
  }

  Reply get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET().build());
  }

  /** A GET with {@code Authorization: Bearer token}. */
  Reply get(String path, String token) {
    return send(
        HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token).GET().build());
  }

  /** A POST with {@code Authorization: Bearer token}. */
  Reply post(String path, String body, String token) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  Reply post(String path, String body) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + api.port() + path);
  }

  private Reply send(HttpRequest request) {
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.body(), r.headers().map());
    } catch (IOException e) {
      throw new AssertionError(request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    api.close();
    inference.close();
    predictionLog.close();
  }
}
