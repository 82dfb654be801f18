package dev.tessera.serving.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.features.config.FeatureStoreConfig;
import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.definition.ShippedFeatures;
import dev.tessera.features.query.FeatureLookup;
import dev.tessera.features.query.FeatureRouter;
import dev.tessera.features.query.FeatureStoreAccess;
import dev.tessera.features.query.LagMonitor;
import dev.tessera.features.query.PeerClient;
import dev.tessera.features.topology.FeatureTopology;
import dev.tessera.schemas.topic.TopicCatalog;
import dev.tessera.serving.config.ServingConfig;
import dev.tessera.serving.inference.InferenceService;
import dev.tessera.serving.testing.RawHttp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lookup API's answers to bad requests, and to good ones while the stores cannot be read: a
 * real Kafka Streams instance that has not started (as on a node that is still starting), so every
 * lookup must be a 503 with Retry-After, never a 500.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class FeaturesApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private KafkaStreams streams;
  private LagMonitor lags;
  private HttpApi api;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start(@TempDir Path stateDir) {
    FeatureRegistry registry = ShippedFeatures.registry();
    var config =
        new FeatureStoreConfig(
            Map.of("bootstrap.servers", "127.0.0.1:1", "state.dir", stateDir.toString()));
    streams =
        new KafkaStreams(
            FeatureTopology.build(registry, TopicCatalog.defaults()), config.streamsProperties());
    lags = new LagMonitor(streams, Duration.ofSeconds(1));
    var router =
        new FeatureRouter(
            streams,
            new FeatureLookup(FeatureStoreAccess.of(streams), registry),
            registry,
            new HostInfo("127.0.0.1", 1),
            new PeerClient(Duration.ofSeconds(1)),
            lags,
            0);
    var serving = new ServingConfig(Map.of("http.port", "0", "http.max.batch.rows", "3"));
    var inference = new InferenceService(List.of(), registry, router, null, Clock.systemUTC());
    api =
        HttpApi.start(
            serving,
            inference,
            router,
            registry,
            new NodeStatus() {
              @Override
              public String streamsState() {
                return streams.state().name();
              }

              @Override
              public boolean featuresReady() {
                return false;
              }

              @Override
              public int modelsLoaded() {
                return 0;
              }
            },
            Clock.systemUTC());
  }

  @AfterAll
  void stop() {
    api.close();
    lags.close();
    streams.close();
  }

  @Test
  void shouldAnswer503WithRetryAfterWhileTheStoresCannotBeRead() {
    Reply get = get("/features/customer_churn/C-1");
    assertThat(get.status()).isEqualTo(503);
    assertThat(get.retryAfter()).isEqualTo("1");
    assertThat(get.code()).isEqualTo("TEMPORARILY_UNAVAILABLE");
    assertThat(get.message()).contains("CREATED");

    Reply post = post("/features/lookup", "{\"view\":\"customer_churn\",\"keys\":[\"C-1\"]}");
    assertThat(post.status()).isEqualTo(503);
    assertThat(post.retryAfter()).isEqualTo("1");

    Reply forwarded =
        post(
            PeerClient.PATH,
            "{\"view\":\"customer_churn\",\"as_of\":1,\"rows\":[{\"key\":\"C-1\"}]}");
    assertThat(forwarded.status()).isEqualTo(503);
  }

  @Test
  void shouldNameTheViewsThereAreForAnUnknownView() {
    Reply r = get("/features/nope/C-1");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.message()).contains("nope", "customer_churn", "customer_risk");
    assertThat(post("/features/lookup", "{\"view\":\"nope\",\"keys\":[\"C-1\"]}").status())
        .isEqualTo(404);
  }

  @Test
  void shouldRejectARequestFieldThatIsNotANumber() {
    Reply r = get("/features/customer_risk/C-1?amount=lots");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.message()).contains("amount", "lots", "number");
  }

  @Test
  void shouldRejectAQueryParameterThatCannotBeDecoded() throws Exception {
    // Javalin gives a=%ZZ no value at all; this was a 500 (found by FuzzIT). Sent over a raw
    // socket: java.net.URI refuses to build such a request.
    RawHttp.Response r =
        RawHttp.send(api.port(), "GET", "/features/customer_risk/C-1?a=%ZZ", List.of(), null);
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(JSON.readTree(r.body()).get("message").asText())
        .contains("Query parameter a=''", "must be a finite number");
  }

  @Test
  void shouldRejectMalformedBatchLookupsWithTheProblemNamed() {
    assertBadRequest("", "Empty body");
    assertBadRequest("{not json", "not valid JSON");
    assertBadRequest("[]", "JSON object");
    assertBadRequest("{\"keys\":[\"C-1\"]}", "view");
    assertBadRequest("{\"view\":\"customer_churn\"}", "either keys");
    assertBadRequest("{\"view\":\"customer_churn\",\"keys\":[\"C-1\"],\"rows\":[]}", "either keys");
    assertBadRequest("{\"view\":\"customer_churn\",\"keys\":\"C-1\"}", "non-empty list");
    assertBadRequest("{\"view\":\"customer_churn\",\"keys\":[]}", "non-empty list");
    assertBadRequest("{\"view\":\"customer_churn\",\"keys\":[1]}", "keys[0]");
    assertBadRequest(
        "{\"view\":\"customer_churn\",\"keys\":[\"a\",\"b\",\"c\",\"d\"]}", "at most 3");
    assertBadRequest("{\"view\":\"customer_risk\",\"rows\":[{\"amount\":1}]}", "customer_id");
    assertBadRequest(
        "{\"view\":\"customer_risk\",\"rows\":[{\"customer_id\":\"C-1\",\"amount\":\"x\"}]}",
        "rows[0].amount");
    assertBadRequest("{\"view\":\"customer_churn\",\"keys\":[\"C-1\"],\"extra\":1}", "extra");
  }

  @Test
  void shouldRejectAMalformedForwardedLookup() {
    assertThat(post(PeerClient.PATH, "{\"view\":\"customer_churn\"}").status()).isEqualTo(400);
  }

  private void assertBadRequest(String body, String mentions) {
    Reply r = post("/features/lookup", body);
    assertThat(r.status()).as(body).isEqualTo(400);
    assertThat(r.message()).as(body).contains(mentions);
    assertThat(r.body()).doesNotContain("Exception");
  }

  private record Reply(int status, String body, String retryAfter) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("Not JSON: " + body, e);
      }
    }

    String code() {
      return json().get("error_code").asText();
    }

    String message() {
      return json().get("message").asText();
    }
  }

  private Reply get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET().build());
  }

  private Reply post(String path, String body) {
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
      return new Reply(
          r.statusCode(), r.body(), r.headers().firstValue("Retry-After").orElse(null));
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
