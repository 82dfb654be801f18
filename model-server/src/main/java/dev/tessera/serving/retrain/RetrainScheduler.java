package dev.tessera.serving.retrain;

import dev.tessera.serving.config.RetrainConfig;
import dev.tessera.serving.endpoint.EndpointStore;
import dev.tessera.serving.endpoint.EndpointWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the scheduled cycles: time is cut into periods of the schedule's length counted from the
 * epoch; for each period and endpoint, the first node whose claim lands on the endpoints topic
 * ({@link EndpointWriter#claim}) runs the cycle and every other node skips it. A node that dies
 * mid-cycle loses that period's cycle; the next period runs again.
 *
 * <pre>{@code
 * new RetrainScheduler(cycle, config, store, writer, List.of("churn"), Duration.ofDays(7), clock, "node a")
 *     .tick(); // what the node's timer calls every retrain.check.interval.ms
 * }</pre>
 */
public final class RetrainScheduler {
  private static final Logger log = LoggerFactory.getLogger(RetrainScheduler.class);

  private final RetrainCycle cycle;
  private final RetrainConfig config;
  private final EndpointStore store;
  private final EndpointWriter writer;
  private final List<String> endpoints;
  private final Duration period;
  private final Clock clock;
  private final String actor;

  public RetrainScheduler(
      RetrainCycle cycle,
      RetrainConfig config,
      EndpointStore store,
      EndpointWriter writer,
      List<String> endpoints,
      Duration period,
      Clock clock,
      String actor) {
    this.cycle = cycle;
    this.config = config;
    this.store = store;
    this.writer = writer;
    this.endpoints = List.copyOf(endpoints);
    this.period = period;
    this.clock = clock;
    this.actor = actor;
  }

  /** The claim of the period {@code now} falls in, e.g. {@code churn/P7D/2921}. */
  static String claimOf(String endpoint, Duration period, long nowMillis) {
    return endpoint + "/" + period + "/" + Math.floorDiv(nowMillis, period.toMillis());
  }

  /** Claims and runs every endpoint's cycle of the current period that no node has claimed. */
  public void tick() {
    for (String endpoint : endpoints) {
      String claim = claimOf(endpoint, period, clock.millis());
      if (store.claimed(claim)) {
        continue; // the common case, decided without fencing the endpoint writers
      }
      try {
        if (writer.claim(endpoint, claim, actor, Map.of("schedule", period.toString()))) {
          CycleReport report = cycle.run(endpoint, claim, false, actor, config, CycleFaults.NONE);
          log.info("Scheduled retraining of {}: {}", endpoint, report.toText());
        }
      } catch (RuntimeException e) {
        log.warn("Scheduled retraining of {} ({}) not run: {}", endpoint, claim, e.toString());
      }
    }
  }
}
