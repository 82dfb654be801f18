package dev.tessera.serving.retrain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.features.config.FeatureStoreConfig;
import dev.tessera.serving.endpoint.AuditEntry;
import dev.tessera.serving.endpoint.AuditEntry.Action;
import dev.tessera.serving.node.TesseraNode;
import dev.tessera.serving.registry.NewVersion;
import dev.tessera.serving.registry.RegistryClient;
import dev.tessera.serving.testing.Await;
import dev.tessera.serving.testing.KafkaTestCluster;
import dev.tessera.serving.training.LogisticRegressionOnnx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes with the same short schedule on one real broker, checking every 100 ms: each period is
 * claimed once and its cycle runs once, never on both nodes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(240)
class ScheduledRetrainIT {
  private static final String ENDPOINT = TesseraNode.CHURN_ENDPOINT;

  private KafkaTestCluster kafka;
  private TesseraNode a;
  private TesseraNode b;

  @BeforeAll
  void start(@TempDir Path dirA, @TempDir Path dirB) throws Exception {
    kafka = KafkaTestCluster.start();
    String appId = "scheduled-" + UUID.randomUUID();
    a = TesseraNode.start(settings(appId, dirA));
    b = TesseraNode.start(settings(appId, dirB));
    // A champion to compare with; no outcomes, so each cycle ends quickly as too few labels.
    try (var client = RegistryClient.open(new FeatureStoreConfig(settings(appId, dirA)))) {
      byte[] onnx =
          LogisticRegressionOnnx.build(List.of("a", "b"), new double[] {0.3, 0.3}, 0, "v1");
      var v =
          client
              .writer()
              .createVersion(NewVersion.trained("churn", "churn_v1", onnx, "", null, "test"));
      client.writer().setAlias("churn", "champion", v.version());
    }
  }

  private Map<String, String> settings(String appId, Path stateDir) {
    return Map.of(
        "bootstrap.servers", kafka.bootstrapServers(),
        "application.id", appId,
        "state.dir", stateDir.toString(),
        "http.port", "0",
        "retrain.schedule", "PT2S",
        "retrain.check.interval.ms", "100",
        "retrain.min.labels", "1000000");
  }

  @AfterAll
  void stop() {
    for (AutoCloseable c : new AutoCloseable[] {b, a, kafka}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // closing the rest matters more
      }
    }
  }

  private static List<AuditEntry> of(List<AuditEntry> audit, Action action) {
    return audit.stream().filter(e -> e.action() == action).toList();
  }

  @Test
  void shouldRunEachScheduledCycleOnExactlyOneNode() {
    List<AuditEntry> audit =
        Await.until(
            Duration.ofSeconds(120),
            "four scheduled cycles run",
            () -> {
              List<AuditEntry> seen = a.endpointStore().audit(ENDPOINT);
              return of(seen, Action.RETRAIN_REJECTED).size() >= 4 ? seen : null;
            });
    List<AuditEntry> claims = of(audit, Action.RETRAIN_CLAIMED);
    List<String> claimed = claims.stream().map(e -> e.details().get(AuditEntry.CLAIM)).toList();
    assertThat(claimed).as("no period claimed twice").doesNotHaveDuplicates();
    assertThat(claimed).allMatch(c -> c.startsWith("churn/PT2S/"));

    List<AuditEntry> cycles = of(audit, Action.RETRAIN_REJECTED);
    List<String> ran = cycles.stream().map(e -> e.details().get("cycle")).toList();
    assertThat(ran).as("no cycle ran twice").doesNotHaveDuplicates();
    assertThat(claimed).containsAll(ran);
    for (AuditEntry cycle : cycles) {
      assertThat(cycle.details()).containsEntry("decision", "SKIPPED");
      AuditEntry claim =
          claims.stream()
              .filter(c -> c.details().get(AuditEntry.CLAIM).equals(cycle.details().get("cycle")))
              .findFirst()
              .orElseThrow();
      assertThat(cycle.actor()).as("the claiming node runs the cycle").isEqualTo(claim.actor());
    }
    Set<String> nodes = claims.stream().map(AuditEntry::actor).collect(Collectors.toSet());
    assertThat(nodes).isSubsetOf("node " + addressOf(a), "node " + addressOf(b));
    // Both nodes followed the same log: they saw the same claims.
    assertThat(of(b.endpointStore().audit(ENDPOINT), Action.RETRAIN_CLAIMED))
        .containsAll(claims.subList(0, claims.size() - 1));
  }

  private static String addressOf(TesseraNode node) {
    return "127.0.0.1:" + node.httpPort();
  }
}
