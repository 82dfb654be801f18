package dev.tessera.serving.demo.world;

import dev.tessera.schemas.Outcome;
import java.time.Instant;
import java.util.Objects;

/**
 * One training label of a {@link ChurnWorld}: did {@code customerId}, still a customer at {@code
 * ts}, churn within {@link ChurnWorld#LABEL_HORIZON} (30 days) after {@code ts}?
 *
 * <p>The {@code outcomes} topic has no snapshot time, so a label travels there as an {@link
 * Outcome} observed when its horizon closes: {@code outcome_ts = ts + 30 days}. {@link
 * #fromOutcome} undoes that mapping.
 *
 * <pre>{@code
 * WorldLabel label = new WorldLabel("C-7", Instant.parse("2026-03-01T00:00:00Z"), 1);
 * Outcome outcome = label.toOutcome(); // outcome_ts 2026-03-31T00:00:00Z, source demo-world
 * }</pre>
 *
 * @param customerId the customer
 * @param ts the snapshot time features are to be computed at (point in time)
 * @param label 1 if the customer churned in {@code (ts, ts + 30 days]}, else 0
 */
public record WorldLabel(String customerId, Instant ts, int label) {
  public WorldLabel {
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(ts, "ts");
    if (label != 0 && label != 1) {
      throw new IllegalArgumentException("Label of " + customerId + " is " + label + ", not 0/1");
    }
  }

  /** The label as an {@code outcomes} record: observed at {@code ts + 30 days}. */
  public Outcome toOutcome() {
    return Outcome.newBuilder()
        .setCustomerId(customerId)
        .setOutcomeTs(ts.plus(ChurnWorld.LABEL_HORIZON))
        .setLabel(label)
        .setSource(ChurnWorld.OUTCOME_SOURCE)
        .build();
  }

  /**
   * The label an {@code outcomes} record of the demo world stands for: {@code ts = outcome_ts - 30
   * days}.
   */
  public static WorldLabel fromOutcome(Outcome outcome) {
    return new WorldLabel(
        outcome.getCustomerId(),
        outcome.getOutcomeTs().minus(ChurnWorld.LABEL_HORIZON),
        outcome.getLabel());
  }
}
