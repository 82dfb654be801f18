package dev.tessera.serving.retrain;

import dev.tessera.serving.endpoint.AuditEntry;
import dev.tessera.serving.endpoint.AuditEntry.Action;
import dev.tessera.serving.endpoint.EndpointConfig;
import dev.tessera.serving.endpoint.EndpointOperations;
import dev.tessera.serving.endpoint.EndpointStore;
import dev.tessera.serving.endpoint.EndpointWriter;
import dev.tessera.serving.experiment.ClusterExperiments;
import dev.tessera.serving.experiment.ExperimentReport;
import dev.tessera.serving.experiment.ExperimentReport.Recommendation;
import dev.tessera.serving.inference.InferenceService;
import dev.tessera.serving.inference.RoutedEndpoint;
import dev.tessera.serving.registry.ModelRegistry;
import dev.tessera.serving.registry.RegistryWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ConcurrentModificationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the experiment of a retrained challenger to its end, on the node leading the evaluation
 * job: promotes it when the report says {@code PROMOTE} (enough data, significantly better, no
 * guardrail broken), retires it — the champion takes all the traffic again and the challenger alias
 * goes — when the report says {@code ROLL_BACK}, when a guardrail pulled it back, or when no
 * decision came within {@code retrain.experiment.max.duration.ms}. Each is audited with the
 * report's figures. A challenger whose endpoint a person changed since is left to that person.
 *
 * <pre>{@code
 * followUp.check(); // what the node's timer calls every retrain.check.interval.ms
 * }</pre>
 */
public final class ChallengerFollowUp {
  private static final Logger log = LoggerFactory.getLogger(ChallengerFollowUp.class);

  /** Actions after which a challenger's experiment is no longer the loop's to decide. */
  private static final Set<Action> SETTLED =
      Set.of(
          Action.PROMOTE,
          Action.ROLLBACK,
          Action.RETIRE,
          Action.CREATE,
          Action.UPDATE,
          Action.DELETE,
          Action.RETRAIN_CHALLENGER);

  private final EndpointStore store;
  private final EndpointWriter writer;
  private final EndpointOperations operations;
  private final ModelRegistry models;
  private final RegistryWriter registryWriter;
  private final InferenceService inference;
  private final ClusterExperiments experiments;
  private final Duration maxDuration;
  private final Clock clock;
  private final String actor;

  public ChallengerFollowUp(
      EndpointStore store,
      EndpointWriter writer,
      EndpointOperations operations,
      ModelRegistry models,
      RegistryWriter registryWriter,
      InferenceService inference,
      ClusterExperiments experiments,
      Duration maxDuration,
      Clock clock,
      String actor) {
    this.store = store;
    this.writer = writer;
    this.operations = operations;
    this.models = models;
    this.registryWriter = registryWriter;
    this.inference = inference;
    this.experiments = experiments;
    this.maxDuration = maxDuration;
    this.clock = clock;
    this.actor = actor;
  }

  /** One round over every endpoint with a retrained challenger. */
  public void check() {
    try {
      if (!experiments.leads()) {
        return;
      }
      for (EndpointStore.Versioned stored : store.all()) {
        follow(stored);
      }
    } catch (RuntimeException e) {
      // The evaluation job may be rebalancing; the next round tries again.
      log.debug("Challenger follow-up skipped: {}", e.toString());
    }
  }

  private void follow(EndpointStore.Versioned stored) {
    String name = stored.config().name();
    List<AuditEntry> audit = store.audit(name);
    int started = -1;
    for (int i = audit.size() - 1; i >= 0 && started < 0; i--) {
      if (audit.get(i).action() == Action.RETRAIN_CHALLENGER) {
        started = i;
      }
    }
    if (started < 0) {
      return;
    }
    AuditEntry start = audit.get(started);
    AuditEntry pulledBack = null;
    for (AuditEntry later : audit.subList(started + 1, audit.size())) {
      if (SETTLED.contains(later.action())) {
        return;
      }
      if (later.action() == Action.GUARDRAIL_ROLLBACK) {
        pulledBack = later;
      }
    }
    if (pulledBack != null) {
      retire(stored, start, pulledBack.reason(), pulledBack.details());
      return;
    }
    if (stored.version() != start.configVersion()) {
      return;
    }
    RoutedEndpoint served = inference.endpoint(name).orElse(null);
    if (served == null || served.configVersion() != stored.version()) {
      return; // this node has not applied the config yet
    }
    EndpointConfig config = stored.config();
    String challenger = config.challenger().orElse(null);
    ExperimentReport report =
        ExperimentReport.of(
            served.experimentId(), config, experiments.variants(served.experimentId()));
    ExperimentReport.Row row =
        report.variants().stream()
            .filter(r -> r.variant().equals(challenger))
            .findFirst()
            .orElse(null);
    if (row == null) {
      return;
    }
    Map<String, String> figures = figures(row, served.experimentId(), start);
    if (row.recommendation() == Recommendation.PROMOTE) {
      promote(stored, figures, row.reason());
    } else if (row.recommendation() == Recommendation.ROLL_BACK) {
      retire(stored, start, "the experiment says roll back: " + row.reason(), figures);
    } else if (clock.instant().isAfter(start.at().plus(maxDuration))) {
      retire(
          stored,
          start,
          "no promotion within " + maxDuration + " (last verdict: " + row.reason() + ")",
          figures);
    }
  }

  private void promote(EndpointStore.Versioned stored, Map<String, String> figures, String why) {
    String name = stored.config().name();
    // Another node may have acted on the same figures; act only on the config we judged.
    if (store.get(name).map(EndpointStore.Versioned::version).orElse(-1L) != stored.version()) {
      return;
    }
    operations.promote(name, actor + " (retraining: " + why + ")", figures);
    log.info("Endpoint {}: retrained challenger promoted ({})", name, why);
  }

  private void retire(
      EndpointStore.Versioned stored,
      AuditEntry start,
      String reason,
      Map<String, String> figures) {
    String name = stored.config().name();
    var details = new LinkedHashMap<>(figures);
    details.putAll(start.details());
    try {
      writer.replace(
          ChallengerRollout.withoutChallenger(stored.config()),
          stored.version(),
          operations.registryView(),
          new EndpointWriter.Request(
              actor, Action.RETIRE, "challenger retired: " + reason, details));
    } catch (ConcurrentModificationException e) {
      return; // changed meanwhile; the next round looks again
    }
    String model = start.details().get("model");
    String version = start.details().get("candidate_version");
    if (model != null
        && version != null
        && Integer.valueOf(version).equals(models.aliases(model).get(ChallengerRollout.ALIAS))) {
      registryWriter.deleteAlias(model, ChallengerRollout.ALIAS);
    }
    log.info("Endpoint {}: retrained challenger retired: {}", name, reason);
  }

  private static Map<String, String> figures(
      ExperimentReport.Row row, String experimentId, AuditEntry start) {
    var f = new LinkedHashMap<String, String>();
    f.put("experiment_id", experimentId);
    f.put("cycle", start.details().getOrDefault("cycle", ""));
    f.put("challenger_predictions", Long.toString(row.predictions()));
    f.put("challenger_labelled", Long.toString(row.labelled()));
    if (row.auc() != null) {
      f.put(
          "challenger_auc",
          String.format(
              Locale.ROOT,
              "%.4f [%.4f, %.4f]",
              row.auc().auc(),
              row.auc().lower(),
              row.auc().upper()));
    }
    f.put("verdict", row.recommendation() + ": " + row.reason());
    return f;
  }
}
