package dev.tessera.serving.demo.world;

import java.time.Duration;
import java.time.Instant;

/**
 * What the {@link ChurnWorld} knows about a customer and no feature shows directly: the ground
 * truth behind the events, for tests and for judging a model. Never written to a topic or file.
 *
 * <pre>{@code
 * for (CustomerTruth t : world.truth()) {
 *   if (t.churnsBefore(world.end())) System.out.println(t.customerId() + " churned " + t.churnAt());
 * }
 * }</pre>
 *
 * @param customerId the customer
 * @param propensity probability that the customer churns within a month, from which the churn time
 *     was drawn
 * @param churnAt when the customer churns: no order or click at or after it; may lie after the
 *     world's end (the customer is still active then)
 * @param orderFade how long before {@code churnAt} orders start to become rarer and smaller
 * @param sessionFade how long before {@code churnAt} sessions start to become rarer and shorter
 */
public record CustomerTruth(
    String customerId,
    double propensity,
    Instant churnAt,
    Duration orderFade,
    Duration sessionFade) {

  /** True if the customer has churned strictly before {@code t}. */
  public boolean churnsBefore(Instant t) {
    return churnAt.isBefore(t);
  }
}
