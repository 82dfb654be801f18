package dev.tessera.serving.experiment;

/**
 * An AUC with its DeLong standard error and 95% confidence interval (clamped to [0, 1]). NaN
 * throughout when a class is empty.
 *
 * @param auc area under the ROC curve (Mann–Whitney U / (P·N), ties count one half)
 * @param standardError DeLong (1988) standard error
 * @param lower lower bound of the 95% interval, {@code auc - 1.96 · se}
 * @param upper upper bound of the 95% interval, {@code auc + 1.96 · se}
 */
public record AucEstimate(double auc, double standardError, double lower, double upper) {
  /** The two-sided 95% normal quantile. */
  public static final double Z95 = 1.959963984540054;

  static final AucEstimate UNDEFINED =
      new AucEstimate(Double.NaN, Double.NaN, Double.NaN, Double.NaN);

  static AucEstimate of(double auc, double standardError) {
    return new AucEstimate(
        auc,
        standardError,
        Math.max(0, auc - Z95 * standardError),
        Math.min(1, auc + Z95 * standardError));
  }

  /** Half the width of the interval. */
  public double halfWidth() {
    return (upper - lower) / 2;
  }
}
