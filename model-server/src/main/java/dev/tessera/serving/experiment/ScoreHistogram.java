package dev.tessera.serving.experiment;

import java.util.Arrays;

/**
 * Labelled scores counted per class in 10,001 fixed bins of width 1e-4 (score rounded to the
 * nearest 1e-4, clamped to [0, 1]). Counts add and subtract, so the histogram merges across
 * partitions and takes back a row whose outcome changed. AUC, its DeLong interval and accuracy at a
 * threshold are exact for the scores rounded to their bin.
 *
 * <pre>{@code
 * var h = new ScoreHistogram();
 * h.add(0.83, 1);
 * h.add(0.12, 0);
 * h.auc().auc(); // 1.0
 * }</pre>
 */
public final class ScoreHistogram {
  /** Bins per unit of score. */
  public static final int RESOLUTION = 10_000;

  /** Number of bins: 0, 1e-4, ..., 1. */
  public static final int BINS = RESOLUTION + 1;

  private final long[] positives = new long[BINS];
  private final long[] negatives = new long[BINS];
  private long positiveCount;
  private long negativeCount;

  /** The bin of a score: {@code round(score · 10,000)} clamped to [0, 10,000]. */
  public static int bin(double score) {
    long b = Math.round(score * RESOLUTION);
    return (int) Math.max(0, Math.min(RESOLUTION, b));
  }

  /** Adds one labelled row (label 1 positive, anything else negative). */
  public void add(double score, int label) {
    add(bin(score), label == 1 ? 1 : 0, label == 1 ? 0 : 1);
  }

  /** Takes back a row added before. */
  public void remove(double score, int label) {
    add(bin(score), label == 1 ? -1 : 0, label == 1 ? 0 : -1);
  }

  /** Adds counts to one bin (negative counts take rows back). */
  public void add(int bin, long positive, long negative) {
    positives[bin] += positive;
    negatives[bin] += negative;
    positiveCount += positive;
    negativeCount += negative;
  }

  public void merge(ScoreHistogram other) {
    for (int b = 0; b < BINS; b++) {
      positives[b] += other.positives[b];
      negatives[b] += other.negatives[b];
    }
    positiveCount += other.positiveCount;
    negativeCount += other.negativeCount;
  }

  public long positives(int bin) {
    return positives[bin];
  }

  public long negatives(int bin) {
    return negatives[bin];
  }

  public long positiveCount() {
    return positiveCount;
  }

  public long negativeCount() {
    return negativeCount;
  }

  public long count() {
    return positiveCount + negativeCount;
  }

  /**
   * Mann–Whitney AUC with ties counted one half, and DeLong's variance: for each positive bin the
   * placement {@code V10 = (negatives below + ½ negatives in the bin) / N}, for each negative bin
   * {@code V01 = (positives above + ½ positives in the bin) / P}; {@code var = S10 / P + S01 / N}
   * with S the sample variances of the placements. Computed from the bins in one pass each way.
   */
  public AucEstimate auc() {
    long p = positiveCount;
    long n = negativeCount;
    if (p == 0 || n == 0) {
      return AucEstimate.UNDEFINED;
    }
    // Twice the U statistic, in integers: exact.
    long twiceU = 0;
    long negativesBelow = 0;
    for (int b = 0; b < BINS; b++) {
      if (positives[b] != 0) {
        twiceU += positives[b] * (2 * negativesBelow + negatives[b]);
      }
      negativesBelow += negatives[b];
    }
    double auc = twiceU / (2.0 * p * n);
    double s10 = 0;
    double s01 = 0;
    negativesBelow = 0;
    long positivesAbove = p;
    for (int b = 0; b < BINS; b++) {
      positivesAbove -= positives[b];
      if (positives[b] != 0) {
        double v10 = (negativesBelow + 0.5 * negatives[b]) / n;
        s10 += positives[b] * (v10 - auc) * (v10 - auc);
      }
      if (negatives[b] != 0) {
        double v01 = (positivesAbove + 0.5 * positives[b]) / p;
        s01 += negatives[b] * (v01 - auc) * (v01 - auc);
      }
      negativesBelow += negatives[b];
    }
    double variance = (p > 1 ? s10 / (p - 1) / p : 0) + (n > 1 ? s01 / (n - 1) / n : 0);
    return AucEstimate.of(auc, Math.sqrt(variance));
  }

  /**
   * Share of labelled rows classified right when a row is called positive at {@code score ≥
   * threshold} (both rounded to their bin); NaN when there are none.
   */
  public double accuracy(double threshold) {
    long total = count();
    if (total == 0) {
      return Double.NaN;
    }
    int cut = bin(threshold);
    long right = 0;
    for (int b = 0; b < BINS; b++) {
      right += b >= cut ? positives[b] : negatives[b];
    }
    return (double) right / total;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ScoreHistogram h
        && Arrays.equals(positives, h.positives)
        && Arrays.equals(negatives, h.negatives);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(positives) + Arrays.hashCode(negatives);
  }
}
