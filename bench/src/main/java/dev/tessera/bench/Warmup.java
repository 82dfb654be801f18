package dev.tessera.bench;

/**
 * When a warm-up can stop: once a server's throughput over a round (a second or so of closed-loop
 * load) has stopped improving, that is no round beat the best before it by more than {@code
 * tolerance}, after at least {@code minRounds}; or after {@code maxRounds} whatever the rates. A
 * JIT still compiling the request path shows as rounds that keep getting faster; a busy machine as
 * rounds that go up and down, which end the warm-up rather than prolong it.
 *
 * <pre>{@code
 * var warmup = new Warmup(3, 30, 0.1);
 * while (!warmup.done()) {
 *   warmup.round(OpenLoop.maxThroughput(4, 1, load));
 * }
 * }</pre>
 */
final class Warmup {
  private final int minRounds;
  private final int maxRounds;
  private final double tolerance;
  private int rounds;
  private double best;
  private boolean improved = true;

  Warmup(int minRounds, int maxRounds, double tolerance) {
    if (minRounds < 2 || maxRounds < minRounds || tolerance < 0) {
      throw new IllegalArgumentException(
          "Need 2 ≤ minRounds ≤ maxRounds and tolerance ≥ 0, got "
              + minRounds
              + ", "
              + maxRounds
              + ", "
              + tolerance);
    }
    this.minRounds = minRounds;
    this.maxRounds = maxRounds;
    this.tolerance = tolerance;
  }

  /** Records the throughput of one round. */
  void round(double perSecond) {
    improved = rounds == 0 || perSecond > best * (1 + tolerance);
    best = Math.max(best, perSecond);
    rounds++;
  }

  boolean done() {
    return rounds >= maxRounds || (rounds >= minRounds && !improved);
  }

  int rounds() {
    return rounds;
  }

  /** The best throughput of a round so far. */
  double best() {
    return best;
  }
}
