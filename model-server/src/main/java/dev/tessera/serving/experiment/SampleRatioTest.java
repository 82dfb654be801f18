package dev.tessera.serving.experiment;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sample-ratio mismatch: Pearson's chi-square goodness of fit of the observed rows per variant
 * against the configured traffic split, {@code χ² = Σ (observed − expected)² / expected} with
 * {@code expected = total · share}, {@code k − 1} degrees of freedom, flagged at {@code p < 0.001}.
 *
 * <pre>{@code
 * SampleRatioTest.of(Map.of("v1", 8_500L, "v2", 1_500L), Map.of("v1", 90.0, "v2", 10.0)).mismatch(); // true
 * }</pre>
 *
 * <p>Only variants with a configured share above zero take part (shadow entities are scored for
 * every request and are not part of the split); shares are normalised to sum to one. With fewer
 * than two such variants or no rows there is nothing to test: p = 1.
 *
 * @param observed rows per variant that took part
 * @param expected expected rows per variant under the configured split
 * @param chiSquare the statistic
 * @param degreesOfFreedom number of variants − 1
 * @param pValue P(χ² ≥ statistic)
 * @param mismatch {@code pValue < 0.001}
 */
public record SampleRatioTest(
    Map<String, Long> observed,
    Map<String, Double> expected,
    double chiSquare,
    int degreesOfFreedom,
    double pValue,
    boolean mismatch) {

  /** The p-value below which the split is flagged. */
  public static final double ALPHA = 0.001;

  /**
   * Tests {@code observed} rows per variant against {@code configuredPercent} (variant → share of
   * traffic in percent, e.g. 90 and 10).
   */
  public static SampleRatioTest of(
      Map<String, Long> observed, Map<String, Double> configuredPercent) {
    var counts = new LinkedHashMap<String, Long>();
    double shareSum = 0;
    long total = 0;
    for (Map.Entry<String, Double> e : configuredPercent.entrySet()) {
      if (e.getValue() > 0) {
        long count = observed.getOrDefault(e.getKey(), 0L);
        counts.put(e.getKey(), count);
        shareSum += e.getValue();
        total += count;
      }
    }
    var expected = new LinkedHashMap<String, Double>();
    double chiSquare = 0;
    for (Map.Entry<String, Long> e : counts.entrySet()) {
      double exp = total * configuredPercent.get(e.getKey()) / shareSum;
      expected.put(e.getKey(), exp);
      if (exp > 0) {
        double diff = e.getValue() - exp;
        chiSquare += diff * diff / exp;
      }
    }
    int df = counts.size() - 1;
    if (df < 1 || total == 0) {
      return new SampleRatioTest(counts, expected, 0, Math.max(df, 0), 1, false);
    }
    double p = Statistics.chiSquareSurvival(chiSquare, df);
    return new SampleRatioTest(counts, expected, chiSquare, df, p, p < ALPHA);
  }
}
