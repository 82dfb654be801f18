package dev.tessera.serving.node;

import dev.tessera.serving.endpoint.EndpointConfig;
import dev.tessera.serving.endpoint.EndpointOperations;
import dev.tessera.serving.endpoint.EndpointStore;
import dev.tessera.serving.experiment.ClusterExperiments;
import dev.tessera.serving.experiment.GuardrailCheck;
import dev.tessera.serving.experiment.VariantStats;
import dev.tessera.serving.inference.InferenceService;
import dev.tessera.serving.inference.RoutedEndpoint;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every interval, on the node that leads the evaluation job ({@link ClusterExperiments#leads}),
 * checks each stored endpoint whose challenger takes traffic against its guardrails, on the current
 * experiment's cluster-wide figures; a broken one with auto-rollback on gives the champion all the
 * traffic ({@link EndpointOperations#pullBack}), audited with the reason and figures.
 *
 * <pre>{@code
 * new GuardrailWatcher(endpoints, inference, experiments, operations, "node 127.0.0.1:8080")
 *     .start(Duration.ofSeconds(10));
 * }</pre>
 */
final class GuardrailWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GuardrailWatcher.class);

  private final EndpointStore store;
  private final InferenceService inference;
  private final ClusterExperiments experiments;
  private final EndpointOperations operations;
  private final String actor;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "tessera-guardrails");
            t.setDaemon(true);
            return t;
          });

  GuardrailWatcher(
      EndpointStore store,
      InferenceService inference,
      ClusterExperiments experiments,
      EndpointOperations operations,
      String actor) {
    this.store = store;
    this.inference = inference;
    this.experiments = experiments;
    this.operations = operations;
    this.actor = actor;
  }

  void start(Duration every) {
    timer.scheduleWithFixedDelay(
        this::checkAll, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** One round over every endpoint; also what the timer runs. */
  void checkAll() {
    try {
      if (!experiments.leads()) {
        return;
      }
      for (EndpointStore.Versioned v : store.all()) {
        check(v);
      }
    } catch (RuntimeException e) {
      // The job may be rebalancing; the next round tries again.
      log.debug("Guardrail round skipped: {}", e.toString());
    }
  }

  private void check(EndpointStore.Versioned stored) {
    EndpointConfig config = stored.config();
    Optional<String> challenger = config.challenger();
    if (challenger.isEmpty()
        || !config.guardrails().autoRollback()
        || config.routes().get(1).trafficPercentage() == 0) {
      return;
    }
    RoutedEndpoint served = inference.endpoint(config.name()).orElse(null);
    if (served == null || served.configVersion() != stored.version()) {
      return; // this node has not applied the config yet
    }
    Map<String, VariantStats> stats = experiments.variants(served.experimentId());
    GuardrailCheck.check(
            stats.get(config.champion()), stats.get(challenger.get()), config.guardrails())
        .ifPresent(
            breach -> {
              var figures = new LinkedHashMap<>(breach.figures());
              figures.put("experiment_id", served.experimentId());
              boolean acted =
                  operations
                      .pullBack(
                          config.name(),
                          stored.version(),
                          actor,
                          "guardrail broken: " + breach.reason(),
                          figures)
                      .isPresent();
              if (acted) {
                log.warn(
                    "Endpoint {}: {} broke a guardrail ({}); all traffic back to {}",
                    config.name(),
                    challenger.get(),
                    breach.reason(),
                    config.champion());
              }
            });
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
