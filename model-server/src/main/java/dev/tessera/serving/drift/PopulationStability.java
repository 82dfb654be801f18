package dev.tessera.serving.drift;

import java.util.Arrays;

/**
 * Population stability index (PSI) of a feature or a score: how far the distribution of what was
 * served has moved from a reference (the model version's training set). The reference's quantiles
 * cut the value range into bins; with {@code e} and {@code a} the reference's and the served
 * values' share of a bin, PSI = Σ (a − e) · ln(a / e). A share of 0 counts as {@link #FLOOR}, so
 * that an empty bin gives a large but finite term. Missing values (NaN) take no part: they are the
 * missing rate, a figure of their own.
 *
 * <p>The usual reading: below 0.1 stable, 0.1 to 0.25 a moderate shift, above 0.25 a large one.
 *
 * <pre>{@code
 * PopulationStability.Bins bins = PopulationStability.Bins.ofQuantiles(trainingValues, 10);
 * double psi = PopulationStability.psi(bins.counts(trainingValues), bins.counts(servedValues));
 * }</pre>
 */
public final class PopulationStability {
  /** The share an empty bin counts as. */
  public static final double FLOOR = 1e-4;

  private PopulationStability() {}

  /**
   * PSI of {@code actual} against {@code expected}, both counts per bin (same bins, same order).
   *
   * @throws IllegalArgumentException if the bin counts differ or either side has no value
   */
  public static double psi(long[] expected, long[] actual) {
    if (expected.length != actual.length || expected.length == 0) {
      throw new IllegalArgumentException(
          "Need the same bins on both sides, got " + expected.length + " and " + actual.length);
    }
    long expectedTotal = Arrays.stream(expected).sum();
    long actualTotal = Arrays.stream(actual).sum();
    if (expectedTotal == 0 || actualTotal == 0) {
      throw new IllegalArgumentException(
          "Need values on both sides, got " + expectedTotal + " and " + actualTotal);
    }
    double psi = 0;
    for (int i = 0; i < expected.length; i++) {
      double e = Math.max((double) expected[i] / expectedTotal, FLOOR);
      double a = Math.max((double) actual[i] / actualTotal, FLOOR);
      psi += (a - e) * Math.log(a / e);
    }
    return psi;
  }

  /** Share of {@code values} that are missing (NaN); 0 for none at all. */
  public static double missingRate(double[] values) {
    if (values.length == 0) {
      return 0;
    }
    long missing = Arrays.stream(values).filter(Double::isNaN).count();
    return (double) missing / values.length;
  }

  /**
   * Bins cut at a reference's quantiles: bin {@code i} holds values up to {@code upperEdges[i]}
   * (inclusive), the last bin everything above the last edge.
   *
   * @param upperEdges strictly increasing upper edges of every bin but the last
   */
  public record Bins(double[] upperEdges) {
    public Bins {
      upperEdges = upperEdges.clone();
      for (int i = 1; i < upperEdges.length; i++) {
        if (!(upperEdges[i] > upperEdges[i - 1])) {
          throw new IllegalArgumentException(
              "Bin edges must increase: " + Arrays.toString(upperEdges));
        }
      }
    }

    /**
     * Up to {@code bins} bins with equal shares of {@code reference}'s non-missing values; fewer
     * when values repeat (a feature with three distinct values gets at most three bins).
     */
    public static Bins ofQuantiles(double[] reference, int bins) {
      if (bins < 2) {
        throw new IllegalArgumentException("Need at least 2 bins, got " + bins);
      }
      double[] sorted = Arrays.stream(reference).filter(v -> !Double.isNaN(v)).sorted().toArray();
      if (sorted.length == 0) {
        throw new IllegalArgumentException("The reference has no values");
      }
      double[] edges = new double[bins - 1];
      int n = 0;
      for (int q = 1; q < bins; q++) {
        double edge = sorted[(int) Math.ceil((double) q * sorted.length / bins) - 1];
        if (edge < sorted[sorted.length - 1] && (n == 0 || edge > edges[n - 1])) {
          edges[n++] = edge;
        }
      }
      return new Bins(Arrays.copyOf(edges, n));
    }

    public int size() {
      return upperEdges.length + 1;
    }

    /** The bin of {@code value}, which must not be NaN. */
    public int binOf(double value) {
      int i = Arrays.binarySearch(upperEdges, value);
      return i >= 0 ? i : -i - 1;
    }

    /** How many of {@code values} fall in each bin; missing values are left out. */
    public long[] counts(double[] values) {
      long[] counts = new long[size()];
      for (double v : values) {
        if (!Double.isNaN(v)) {
          counts[binOf(v)]++;
        }
      }
      return counts;
    }

    @Override
    public double[] upperEdges() {
      return upperEdges.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Bins b && Arrays.equals(upperEdges, b.upperEdges);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(upperEdges);
    }

    @Override
    public String toString() {
      return "Bins" + Arrays.toString(upperEdges);
    }
  }
}
