package dev.tessera.serving.retrain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.features.config.FeatureStoreConfig;
import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.offline.EventLog;
import dev.tessera.features.offline.ProgressListener;
import dev.tessera.features.topology.FeatureTopology;
import dev.tessera.serving.demo.DemoTraffic;
import dev.tessera.serving.demo.DemoTraining;
import dev.tessera.serving.demo.world.ChurnWorld;
import dev.tessera.serving.demo.world.WorldEvent;
import dev.tessera.serving.demo.world.WorldLabel;
import dev.tessera.serving.demo.world.WorldProducer;
import dev.tessera.serving.endpoint.AuditEntry;
import dev.tessera.serving.endpoint.AuditEntry.Action;
import dev.tessera.serving.endpoint.EndpointConfig;
import dev.tessera.serving.endpoint.EndpointStore;
import dev.tessera.serving.endpoint.Guardrails;
import dev.tessera.serving.endpoint.ServedEntity;
import dev.tessera.serving.endpoint.TrafficSplit.Route;
import dev.tessera.serving.node.TesseraNode;
import dev.tessera.serving.registry.ModelVersion;
import dev.tessera.serving.registry.NewVersion;
import dev.tessera.serving.registry.RegistryClient;
import dev.tessera.serving.retrain.CycleReport.Decision;
import dev.tessera.serving.testing.Await;
import dev.tessera.serving.testing.KafkaTestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
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
 * The retraining loop on one node against a real broker, on the demo world's history: a failure at
 * each writing step leaves registry and endpoint exactly as before; a worse candidate is stopped at
 * a gate with the reason; a better one is registered, aliased challenger, given half the traffic
 * and, once the experiment on live outcomes says so, promoted automatically.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(480)
class RetrainLoopIT {
  private static final Duration WAIT = Duration.ofSeconds(180);
  private static final String MODEL = "churn";

  private KafkaTestCluster kafka;
  private TesseraNode node;
  private ChurnWorld world;
  private Map<String, String> settings;

  @BeforeAll
  void start(@TempDir Path state) throws Exception {
    kafka = KafkaTestCluster.start();
    settings = new HashMap<>();
    settings.put("bootstrap.servers", kafka.bootstrapServers());
    settings.put("application.id", "retrain-" + UUID.randomUUID());
    settings.put("state.dir", state.toString());
    settings.put("http.port", "0");
    settings.put("experiment.horizon.ms", "60000");
    settings.put("guardrail.check.interval.ms", "500");
    settings.put("retrain.check.interval.ms", "300");
    settings.put("retrain.feature.service", "churn_v2");
    settings.put("retrain.label.source", ChurnWorld.OUTCOME_SOURCE);
    settings.put("retrain.challenger.percent", "50");
    settings.put("retrain.min.labels", "100");
    // Gate arithmetic is unit-tested; a loaded CI machine must not fail the latency gate here.
    settings.put("retrain.gate.latency.p99.max.us", "50000");
    node = TesseraNode.start(settings);
    var config = new FeatureStoreConfig(settings);
    world = ChurnWorld.create(120, 90, 42, Instant.now().truncatedTo(ChronoUnit.SECONDS));
    try (var producer = new WorldProducer(config.topics(), config.clientProperties());
        Stream<WorldEvent> history = world.history()) {
      history.forEach(producer::accept);
      producer.flush();
    }
    Await.until(WAIT, "node ready", () -> node.featuresReady() ? true : null);
    registerChampion(config, state);
    var guardrails = new Guardrails(0.01, 20.0, 0.05, 100, 100, true);
    node.configureEndpoint(
        new EndpointConfig(
            TesseraNode.CHURN_ENDPOINT,
            List.of(ServedEntity.ofAlias("champion", MODEL, "champion")),
            List.of(new Route("champion", 100)),
            "churn",
            guardrails),
        "test");
  }

  /**
   * v1 on churn_v1 (orders only) is the champion, trained as the demo trains it but, like a model
   * in production, before the newest labels existed: the cycle's holdout is new to both models.
   */
  private void registerChampion(FeatureStoreConfig config, Path state) {
    FeatureRegistry registry = config.registry();
    EventLog log =
        EventLog.fromKafka(
            config.clientProperties(),
            config.topics(),
            FeatureTopology.timeFields(registry.views()),
            Duration.ofMinutes(2));
    DemoTraining.Trained v1 =
        DemoTraining.train(
                registry, olderLabels(), log, List.of("churn_v1"), state, ProgressListener.NONE)
            .get(0);
    try (var client = RegistryClient.open(config)) {
      ModelVersion version =
          client
              .writer()
              .createVersion(
                  NewVersion.trained(MODEL, "churn_v1", v1.onnx(), "champion", v1.run(), "test"));
      client.writer().setAlias(MODEL, "champion", version.version());
    }
    Await.until(
        WAIT,
        "champion seen by the node",
        () -> node.modelRegistry().aliases(MODEL).get("champion"));
  }

  private List<WorldLabel> olderLabels() {
    List<WorldLabel> labels = world.labels();
    Instant newest = labels.stream().map(WorldLabel::ts).max(Instant::compareTo).orElseThrow();
    return labels.stream().filter(l -> l.ts().isBefore(newest.minus(Duration.ofDays(14)))).toList();
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

  private record Snapshot(
      List<ModelVersion> versions,
      Map<String, Integer> aliases,
      Optional<EndpointStore.Versioned> endpoint) {}

  private Snapshot snapshot() {
    return new Snapshot(
        node.modelRegistry().versions(MODEL),
        node.modelRegistry().aliases(MODEL),
        node.endpointStore().get(TesseraNode.CHURN_ENDPOINT));
  }

  private List<AuditEntry> audit() {
    return node.endpointStore().audit(TesseraNode.CHURN_ENDPOINT);
  }

  @Test
  @Order(1)
  void shouldLeaveRegistryAndEndpointExactlyAsBeforeWhenACycleFailsMidway() {
    // Training fails before anything is written; these two fail after the version is registered.
    for (String step : List.of("alias", "endpoint")) {
      Snapshot before = snapshot();
      CycleReport report =
          node.retraining()
              .runNow(
                  TesseraNode.CHURN_ENDPOINT,
                  false,
                  "test",
                  Map.of(),
                  at -> {
                    if (at.equals(step)) {
                      throw new IllegalStateException("injected failure before " + step);
                    }
                  });
      assertThat(report.decision()).as(step).isEqualTo(Decision.FAILED);
      assertThat(report.reason()).contains("injected failure before " + step);
      assertThat(snapshot()).as("after a failure before " + step).isEqualTo(before);
      AuditEntry last = audit().get(audit().size() - 1);
      assertThat(last.action()).isEqualTo(Action.RETRAIN_FAILED);
      assertThat(last.details()).containsEntry("cycle", report.cycle());
    }
  }

  @Test
  @Order(3)
  void shouldStopAWorseCandidateAtTheGateWithTheReason() {
    Snapshot before = snapshot();
    // After the promotion the champion reads orders and engagement; a single depth-1 tree on the
    // two order features cannot match it.
    CycleReport report =
        node.retraining()
            .runNow(
                TesseraNode.CHURN_ENDPOINT,
                false,
                "test",
                Map.of(
                    "retrain.feature.service", "churn_v1",
                    "retrain.params", "n_estimators=1,max_depth=1,eta=0.3"),
                CycleFaults.NONE);
    assertThat(report.decision()).as(report.toText()).isEqualTo(Decision.REJECTED);
    assertThat(report.candidate().auc()).isLessThan(report.champion().auc());
    assertThat(report.gates())
        .filteredOn(g -> !g.passed())
        .extracting(GateResult::gate)
        .contains("auc_gain");
    assertThat(report.reason()).startsWith("stopped at the gates: ").contains("auc_gain");
    assertThat(snapshot()).isEqualTo(before);
    AuditEntry last = audit().get(audit().size() - 1);
    assertThat(last.action()).isEqualTo(Action.RETRAIN_REJECTED);
    assertThat(last.reason()).isEqualTo(report.reason());
    assertThat(last.details())
        .containsEntry(
            "candidate_auc", String.format(Locale.ROOT, "%.4f", report.candidate().auc()))
        .containsKey("gate.auc_gain");
  }

  @Test
  @Order(2)
  void shouldRegisterABetterCandidateRunItsExperimentAndPromoteItAutomatically() {
    CycleReport report = node.retraining().runNow(TesseraNode.CHURN_ENDPOINT, false, "test");
    assertThat(report.decision()).as(report.toText()).isEqualTo(Decision.CHALLENGER);
    assertThat(report.gates()).allMatch(GateResult::passed);
    assertThat(report.candidate().auc()).isGreaterThan(report.champion().auc());
    int candidate = report.candidateVersion();
    assertThat(node.modelRegistry().aliases(MODEL)).containsEntry("challenger", candidate);
    ModelVersion registered = node.modelRegistry().version(MODEL, candidate).orElseThrow();
    assertThat(registered.featureService()).isEqualTo("churn_v2");
    assertThat(registered.metrics()).containsKey("auc");
    EndpointStore.Versioned stored =
        node.endpointStore().get(TesseraNode.CHURN_ENDPOINT).orElseThrow();
    assertThat(stored.config().routes())
        .containsExactly(new Route("champion", 50), new Route("challenger", 50));
    AuditEntry started = audit().get(audit().size() - 1);
    assertThat(started.action()).isEqualTo(Action.RETRAIN_CHALLENGER);
    assertThat(started.details()).containsEntry("candidate_version", Integer.toString(candidate));

    var config = new FeatureStoreConfig(settings);
    var traffic =
        new DemoTraffic(
            world,
            "http://127.0.0.1:" + node.httpPort(),
            config.topics().outcomes(),
            config.clientProperties(),
            100,
            1);
    var stop = new AtomicBoolean();
    Thread load = new Thread(() -> traffic.run(stop::get), "retrain-it-traffic");
    load.start();
    try {
      AuditEntry promoted =
          Await.until(
              WAIT,
              "automatic promotion",
              () ->
                  audit().stream()
                      .filter(e -> e.action() == Action.PROMOTE || e.action() == Action.RETIRE)
                      .findFirst()
                      .orElse(null));
      assertThat(promoted.action()).as(promoted.toString()).isEqualTo(Action.PROMOTE);
      assertThat(promoted.actor()).contains("retraining");
      assertThat(promoted.details()).containsKey("verdict").containsKey("challenger_auc");
      assertThat(node.modelRegistry().aliases(MODEL)).containsEntry("champion", candidate);
      assertThat(
              node.endpointStore().get(TesseraNode.CHURN_ENDPOINT).orElseThrow().config().routes())
          .containsExactly(new Route("champion", 100), new Route("challenger", 0));
    } finally {
      stop.set(true);
    }
  }
}
