package dev.tessera.bench;

/**
 * How far two engines' scores of the same rows are apart: the largest absolute difference and the
 * row where it was seen. A benchmark of two engines is void unless they answer the same.
 *
 * <pre>{@code
 * Parity p = Parity.of(onnxScores, xgboostScores);
 * p.check(1e-5); // throws, naming the row, when they differ by more
 * }</pre>
 *
 * @param maxDifference the largest {@code |a[i] - b[i]|}; NaN on either side counts as infinite
 * @param row the row of {@code maxDifference}, -1 for no rows
 */
record Parity(double maxDifference, int row) {

  static Parity of(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "Expected as many scores on each side, got " + a.length + " and " + b.length);
    }
    double max = 0;
    int at = a.length == 0 ? -1 : 0;
    for (int i = 0; i < a.length; i++) {
      double d = Math.abs(a[i] - b[i]);
      if (Double.isNaN(d)) {
        d = Double.POSITIVE_INFINITY;
      }
      if (d > max) {
        max = d;
        at = i;
      }
    }
    return new Parity(max, at);
  }

  /** Throws unless every row is within {@code tolerance}. */
  Parity check(double tolerance) {
    if (maxDifference > tolerance) {
      throw new IllegalStateException(
          "The engines disagree by "
              + maxDifference
              + " at row "
              + row
              + ", more than the tolerance "
              + tolerance);
    }
    return this;
  }
}
