package dev.tessera.serving.retrain;

import dev.tessera.serving.config.RetrainConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.common.config.ConfigException;

/**
 * A node's retraining loop: cycles on request ({@link #runNow}), the schedule, and the follow-up of
 * running challengers, on one timer thread; one cycle at a time per node.
 *
 * <pre>{@code
 * try (var loop = new RetrainLoop(cycle, config, scheduler, followUp, clock)) {
 *   loop.start(Duration.ofSeconds(10));
 *   CycleReport r = loop.runNow("churn", true, "cli"); // a dry run
 * }
 * }</pre>
 */
public final class RetrainLoop implements AutoCloseable {
  private final RetrainCycle cycle;
  private final RetrainConfig config;
  private final RetrainScheduler scheduler;
  private final ChallengerFollowUp followUp;
  private final Clock clock;
  private final ReentrantLock running = new ReentrantLock();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "tessera-retraining");
            t.setDaemon(true);
            return t;
          });

  /**
   * @param scheduler runs scheduled cycles; null when the schedule is off
   * @param followUp promotes or retires challengers; null where experiments do not run
   */
  public RetrainLoop(
      RetrainCycle cycle,
      RetrainConfig config,
      RetrainScheduler scheduler,
      ChallengerFollowUp followUp,
      Clock clock) {
    this.cycle = cycle;
    this.config = config;
    this.scheduler = scheduler;
    this.followUp = followUp;
    this.clock = clock;
  }

  /** Starts the timer: schedule and follow-up every {@code every}. */
  public void start(Duration every) {
    if (scheduler == null && followUp == null) {
      return;
    }
    timer.scheduleWithFixedDelay(
        this::round, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void round() {
    if (followUp != null) {
      followUp.check();
    }
    if (scheduler != null && running.tryLock()) {
      try {
        scheduler.tick();
      } finally {
        running.unlock();
      }
    }
  }

  /**
   * Runs a cycle now with the node's settings.
   *
   * @throws IllegalStateException if a cycle is running on this node
   */
  public CycleReport runNow(String endpoint, boolean dryRun, String actor) {
    return runNow(endpoint, dryRun, actor, Map.of(), CycleFaults.NONE);
  }

  /**
   * Runs a cycle now with some of the node's {@code retrain.*} settings overridden for this cycle
   * only (e.g. another feature service or training params).
   *
   * @throws org.apache.kafka.common.config.ConfigException if an override is not a valid setting
   * @throws IllegalStateException if a cycle is running on this node
   */
  public CycleReport runNow(
      String endpoint,
      boolean dryRun,
      String actor,
      Map<String, String> overrides,
      CycleFaults faults) {
    for (String key : overrides.keySet()) {
      if (!RetrainConfig.DEFINITION.names().contains(key)) {
        throw new ConfigException(key, overrides.get(key), "not a retrain.* setting");
      }
    }
    var settings = new HashMap<String, Object>(config.originals());
    settings.putAll(overrides);
    var effective = new RetrainConfig(settings);
    if (!running.tryLock()) {
      throw new IllegalStateException(
          "A retraining cycle is running on this node; try again when it has finished");
    }
    try {
      Instant now = clock.instant();
      return cycle.run(endpoint, "manual-" + now.toEpochMilli(), dryRun, actor, effective, faults);
    } finally {
      running.unlock();
    }
  }

  /** One follow-up round now (also what the timer does). */
  public void followUp() {
    if (followUp != null) {
      followUp.check();
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
