package dev.tessera.serving.experiment;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the evaluation job.
 *
 * @param delay outcomes observed less than this after a prediction do not label it; default 0
 * @param horizon a prediction at {@code ts} is labelled by the first outcome of its customer with
 *     {@code outcome_ts} in {@code (ts + delay, ts + delay + horizon]}; default 30 days
 * @param grace how far behind stream time a prediction or outcome may arrive and still be joined;
 *     default 7 days
 * @param purgeInterval how often (in stream time) rows that can no longer join are deleted; default
 *     1 hour
 */
public record EvaluationSettings(
    Duration delay, Duration horizon, Duration grace, Duration purgeInterval) {
  public EvaluationSettings {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("Evaluation delay must not be negative, got " + delay);
    }
    Objects.requireNonNull(horizon, "horizon");
    Objects.requireNonNull(grace, "grace");
    Objects.requireNonNull(purgeInterval, "purgeInterval");
    if (horizon.isNegative() || horizon.isZero()) {
      throw new IllegalArgumentException("Evaluation horizon must be positive, got " + horizon);
    }
    if (grace.isNegative()) {
      throw new IllegalArgumentException("Evaluation grace must not be negative, got " + grace);
    }
    if (purgeInterval.isNegative() || purgeInterval.isZero()) {
      throw new IllegalArgumentException(
          "Evaluation purge interval must be positive, got " + purgeInterval);
    }
  }

  public static EvaluationSettings defaults() {
    return new EvaluationSettings(
        Duration.ZERO, Duration.ofDays(30), Duration.ofDays(7), Duration.ofHours(1));
  }

  public EvaluationSettings withHorizon(Duration value) {
    return new EvaluationSettings(delay, value, grace, purgeInterval);
  }

  public EvaluationSettings withGrace(Duration value) {
    return new EvaluationSettings(delay, horizon, value, purgeInterval);
  }

  /**
   * Snapshot labels such as the demo world's ({@code outcome_ts} = snapshot + 30 days, one snapshot
   * a week): {@code delay} 30 days − 1 ms and {@code horizon} 7 days label a prediction with the
   * first snapshot at or after it.
   */
  public EvaluationSettings withDelay(Duration value) {
    return new EvaluationSettings(value, horizon, grace, purgeInterval);
  }
}
