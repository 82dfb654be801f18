package dev.tessera.serving.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.features.query.PeerClient;
import dev.tessera.schemas.topic.TopicCatalog;
import dev.tessera.serving.cli.FeaturesExportCommand;
import dev.tessera.serving.demo.world.ChurnWorld;
import dev.tessera.serving.demo.world.WorldProducer;
import dev.tessera.serving.testing.Await;
import dev.tessera.serving.testing.KafkaTestCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tessera features export} as of an instant T gives, for sampled keys, exactly what a
 * running node's online store answered as of T. The online side is looked up through the node's
 * lookup route for a given instant (the one nodes forward lookups with), so both sides read the
 * same T to the millisecond: on-demand features such as days_since_last_order move with every
 * millisecond.
 */
@Timeout(240)
class FeaturesExportIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final int CUSTOMERS = 24;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String appId = "export-" + UUID.randomUUID();

  @Test
  void shouldExportAsOfTWhatTheOnlineStoreServedAtT(@TempDir Path dir) throws Exception {
    try (KafkaTestCluster kafka = KafkaTestCluster.start();
        TesseraNode node =
            TesseraNode.start(
                Map.of(
                    "bootstrap.servers",
                    kafka.bootstrapServers(),
                    "application.id",
                    appId,
                    "state.dir",
                    dir.resolve("node").toString(),
                    "http.port",
                    "0"));
        Admin admin =
            Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      URI base = URI.create("http://127.0.0.1:" + node.httpPort());
      var client = new Properties();
      client.put("bootstrap.servers", kafka.bootstrapServers());
      // History stamped up to a second ago: nothing is stamped after T, which comes later.
      ChurnWorld world = ChurnWorld.create(CUSTOMERS, 40, 11, Instant.now().minusSeconds(1));
      try (var producer = new WorldProducer(TopicCatalog.defaults(), client)) {
        FeatureParity.produceHistory(world, producer);
      }
      FeatureParity.awaitCaughtUp(admin, appId, WAIT);
      long t = System.currentTimeMillis();

      var sampled = new ArrayList<String>();
      for (int c = 1; c <= CUSTOMERS; c += 3) {
        sampled.add("C-" + c);
      }
      Map<String, List<String>> keys =
          Map.of(
              "customer_churn", sampled,
              "customer_risk", sampled,
              "region_orders", List.of("eu-west", "eu-central", "us-east", "us-west", "apac"));
      int compared = 0;
      for (var view : keys.entrySet()) {
        Map<String, JsonNode> online = lookUp(base, view.getKey(), view.getValue(), t);
        Path out = dir.resolve(view.getKey() + ".csv");
        int code =
            new CommandLine(new FeaturesExportCommand())
                .execute(
                    "--bootstrap-servers",
                    kafka.bootstrapServers(),
                    "--state-dir",
                    dir.resolve("export").toString(),
                    "--view",
                    view.getKey(),
                    "--as-of",
                    Instant.ofEpochMilli(t).toString(),
                    "--read-timeout",
                    "PT1M",
                    "--out",
                    out.toString());
        assertThat(code).isZero();
        compared += assertEqual(view.getKey(), online, readCsv(out), t);
      }
      // 18 churn and 5 risk columns for 8 customers (all have rows), and some regions.
      assertThat(compared).isGreaterThan(8 * 18 + 8 * 5);
    }
  }

  /** The node's answers for {@code keys} as of {@code t}, once its stores are caught up. */
  private static Map<String, JsonNode> lookUp(URI base, String view, List<String> keys, long t) {
    var rows = JSON.createArrayNode();
    keys.forEach(k -> rows.addObject().put("key", k).putObject("request"));
    var body = JSON.createObjectNode().put("view", view).put("as_of", t).set("rows", rows);
    JsonNode vectors =
        Await.until(
            WAIT,
            view + " lookups as of " + Instant.ofEpochMilli(t),
            () -> {
              try {
                HttpResponse<String> r =
                    HTTP.send(
                        HttpRequest.newBuilder(base.resolve(PeerClient.PATH))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                            .build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode v = r.statusCode() == 200 ? JSON.readTree(r.body()).get("vectors") : null;
                for (JsonNode vector : v == null ? JSON.createArrayNode() : v) {
                  if (vector.path("store_lag").asLong(0) != 0) {
                    return null;
                  }
                }
                return v;
              } catch (Exception e) {
                return null;
              }
            });
    var byKey = new HashMap<String, JsonNode>();
    vectors.forEach(v -> byKey.put(v.get("key").asText(), v));
    return byKey;
  }

  private static int assertEqual(
      String view,
      Map<String, JsonNode> online,
      Map<String, Map<String, String>> exported,
      long t) {
    int compared = 0;
    for (var e : online.entrySet()) {
      Map<String, String> row = exported.get(e.getKey());
      JsonNode vector = e.getValue();
      if (row == null) {
        // Only a key nobody has seen is missing from the export; online it is all defaults.
        assertThat(vector.get("found").asBoolean()).as("%s %s found", view, e.getKey()).isFalse();
        continue;
      }
      assertThat(row.get("as_of")).isEqualTo(Instant.ofEpochMilli(t).toString());
      assertThat(row.get("found")).isEqualTo(vector.get("found").asText());
      for (var f : vector.get("features").properties()) {
        double value = f.getValue().get("value").asDouble();
        assertThat(Double.parseDouble(row.get(f.getKey())))
            .as("%s %s %s as of %s", view, e.getKey(), f.getKey(), Instant.ofEpochMilli(t))
            .isCloseTo(value, within(1e-9 * Math.max(1, Math.abs(value))));
        compared++;
      }
    }
    return compared;
  }

  /** Rows of an exported CSV by key, each column by name. */
  private static Map<String, Map<String, String>> readCsv(Path file) throws Exception {
    List<String> lines = Files.readAllLines(file);
    String[] header = lines.get(0).split(",", -1);
    var rows = new HashMap<String, Map<String, String>>();
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",", -1);
      var row = new HashMap<String, String>();
      for (int i = 0; i < header.length; i++) {
        row.put(header[i], cells[i]);
      }
      rows.put(cells[0], row);
    }
    return rows;
  }
}
