package dev.tessera.serving.experiment;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the evaluation job.
 *
 * @param horizon a prediction at {@code ts} is labelled by the first outcome of its customer with
 *     {@code outcome_ts} in {@code (ts, ts + horizon]}; default 30 days
 * @param grace how far behind stream time a prediction or outcome may arrive and still be joined;
 *     default 7 days
 * @param purgeInterval how often (in stream time) rows that can no longer join are deleted; default
 *     1 hour
 */
public record EvaluationSettings(Duration horizon, Duration grace, Duration purgeInterval) {
  public EvaluationSettings {
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
    return new EvaluationSettings(Duration.ofDays(30), Duration.ofDays(7), Duration.ofHours(1));
  }

  public EvaluationSettings withHorizon(Duration value) {
    return new EvaluationSettings(value, grace, purgeInterval);
  }

  public EvaluationSettings withGrace(Duration value) {
    return new EvaluationSettings(horizon, value, purgeInterval);
  }
}
