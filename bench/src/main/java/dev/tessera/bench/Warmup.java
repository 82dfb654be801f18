package dev.tessera.bench;

/**
 * When a warm-up can stop: once a server's throughput over a round (one second of closed-loop load)
 * has stopped improving, that is the last round did not beat the best before it by more than {@code
 * tolerance}, after at least {@code minRounds} and {@code minRequests}; or after {@code maxRounds}
 * whatever the rates. A JIT still compiling the request path shows as rounds that keep getting
 * faster; a busy machine as rounds that go up and down, which is why a minimum of requests (enough
 * for the compilers' thresholds on every method of the path) comes first.
 *
 * <pre>{@code
 * var warmup = new Warmup(5, 40, 40_000, 0.1);
 * while (!warmup.done()) {
 *   warmup.round(OpenLoop.maxThroughput(4, 1, load));
 * }
 * }</pre>
 */
final class Warmup {
  private final int minRounds;
  private final int maxRounds;
  private final long minRequests;
  private final double tolerance;
  private int rounds;
  private double requests;
  private double best;
  private boolean improved = true;

  Warmup(int minRounds, int maxRounds, long minRequests, double tolerance) {
    if (minRounds < 2 || maxRounds < minRounds || minRequests < 0 || tolerance < 0) {
      throw new IllegalArgumentException(
          "Need 2 ≤ minRounds ≤ maxRounds, minRequests ≥ 0 and tolerance ≥ 0, got "
              + minRounds
              + ", "
              + maxRounds
              + ", "
              + minRequests
              + ", "
              + tolerance);
    }
    this.minRounds = minRounds;
    this.maxRounds = maxRounds;
    this.minRequests = minRequests;
    this.tolerance = tolerance;
  }

  /** Records the throughput of one round of one second. */
  void round(double perSecond) {
    requests += perSecond;
    improved = rounds == 0 || perSecond > best * (1 + tolerance);
    best = Math.max(best, perSecond);
    rounds++;
  }

  boolean done() {
    return rounds >= maxRounds || (rounds >= minRounds && requests >= minRequests && !improved);
  }

  int rounds() {
    return rounds;
  }

  /** The best throughput of a round so far. */
  double best() {
    return best;
  }
}
