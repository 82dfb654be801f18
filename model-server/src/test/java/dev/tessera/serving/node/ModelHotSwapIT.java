package dev.tessera.serving.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.features.definition.ShippedFeatures;
import dev.tessera.serving.testing.Await;
import dev.tessera.serving.testing.KafkaTestCluster;
import dev.tessera.serving.training.LogisticRegressionOnnx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hot swap on a real broker: the churn endpoint follows {@code churn@champion}; moving the alias
 * between versions of different feature services while clients keep invoking it fails no request,
 * and every request is answered by one of the versions.
 */
@Timeout(180)
class ModelHotSwapIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String API = "/api/2.0/mlflow";
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void shouldServeEveryRequestWhileTheChampionAliasMoves(@TempDir Path state) throws Exception {
    try (KafkaTestCluster kafka = KafkaTestCluster.start();
        TesseraNode node =
            TesseraNode.start(
                Map.of(
                    "bootstrap.servers",
                    kafka.bootstrapServers(),
                    "application.id",
                    "hotswap-" + UUID.randomUUID(),
                    "state.dir",
                    state.toString(),
                    "http.port",
                    "0"))) {
      String base = "http://127.0.0.1:" + node.httpPort();
      assertThat(
              post(base + API + "/registered-models/create", "{\"name\":\"churn\"}").statusCode())
          .isEqualTo(200);
      register(base, "churn_v1", 0.3);
      register(base, "churn_v2", -0.2);
      setChampion(base, 1);
      Await.until(WAIT, "v1 served", () -> servedVersion(base).equals("1") ? true : null);

      var failures = new ConcurrentLinkedQueue<String>();
      var versions = ConcurrentHashMap.<String>newKeySet();
      var served = new AtomicLong();
      var stop = new AtomicBoolean();
      var clients = new ArrayList<Thread>();
      for (int t = 0; t < 2; t++) {
        var client =
            new Thread(
                () -> {
                  while (!stop.get()) {
                    try {
                      HttpResponse<String> r = invoke(base);
                      if (r.statusCode() != 200) {
                        failures.add(r.statusCode() + " " + r.body());
                      } else {
                        versions.add(
                            JSON.readTree(r.body()).at("/predictions/0/model_version").asText());
                        served.incrementAndGet();
                      }
                    } catch (Exception e) {
                      failures.add(e.toString());
                    }
                  }
                });
        client.start();
        clients.add(client);
      }
      for (int move = 0; move < 6; move++) {
        int version = move % 2 == 0 ? 2 : 1;
        long before = served.get();
        setChampion(base, version);
        Await.until(
            WAIT,
            "v" + version + " served under load",
            () ->
                node.modelRegistry().aliases("churn").get("champion") == version
                        && served.get() > before + 20
                        && servedVersion(base).equals(Integer.toString(version))
                    ? true
                    : null);
      }
      stop.set(true);
      for (Thread c : clients) {
        c.join();
      }

      assertThat(failures).isEmpty();
      assertThat(served.get()).isGreaterThan(120);
      assertThat(versions).isEqualTo(Set.of("1", "2"));
    }
  }

  private void register(String base, String service, double weight) throws Exception {
    int width =
        ShippedFeatures.registry()
            .columns(ShippedFeatures.registry().service(service).orElseThrow())
            .size();
    double[] weights = new double[width];
    Arrays.fill(weights, weight);
    var names = new ArrayList<String>();
    for (int i = 0; i < width; i++) {
      names.add("f" + i);
    }
    byte[] onnx = LogisticRegressionOnnx.build(names, weights, 0.0, service + " test model");
    String body =
        JSON.writeValueAsString(
            Map.of(
                "name",
                "churn",
                "feature_service",
                service,
                "artifact",
                Base64.getEncoder().encodeToString(onnx)));
    HttpResponse<String> r = post(base + API + "/model-versions/create", body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  private void setChampion(String base, int version) throws Exception {
    HttpResponse<String> r =
        post(
            base + API + "/registered-models/alias",
            "{\"name\":\"churn\",\"alias\":\"champion\",\"version\":\"" + version + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  private String servedVersion(String base) {
    try {
      HttpResponse<String> r = invoke(base);
      return r.statusCode() == 200
          ? JSON.readTree(r.body()).at("/predictions/0/model_version").asText()
          : "";
    } catch (Exception e) {
      return "";
    }
  }

  private HttpResponse<String> invoke(String base) throws Exception {
    return post(
        base + "/serving-endpoints/churn/invocations",
        "{\"dataframe_records\":[{\"customer_id\":\"C-1\"},{\"customer_id\":\"C-2\"}]}");
  }

  private HttpResponse<String> post(String url, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
