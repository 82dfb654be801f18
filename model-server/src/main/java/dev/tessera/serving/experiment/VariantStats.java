package dev.tessera.serving.experiment;

import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/**
 * Everything the evaluation keeps about one variant (served entity) of one endpoint, mergeable
 * across partitions and nodes: rows, error rows, latency (KLL sketch), and for labelled rows the
 * score histogram per class and the summed log loss in nano-nats.
 *
 * <pre>{@code
 * VariantStats all = new VariantStats();
 * partials.forEach(all::merge);
 * all.auc().lower();
 * all.latencyQuantile(0.99);
 * }</pre>
 */
public final class VariantStats {
  /** KLL accuracy parameter: normalized rank error about 1.65% (single-sided, 99% confidence). */
  public static final int KLL_K = 200;

  private long predictions;
  private long errors;
  private long logLossNanos;
  private long units;
  private final ScoreHistogram histogram = new ScoreHistogram();
  private KllDoublesSketch latency = KllDoublesSketch.newHeapInstance(KLL_K);

  /** True for a score the evaluation cannot use: NaN, infinite or outside [0, 1]. */
  public static boolean isError(double score) {
    return !(score >= 0 && score <= 1);
  }

  /** Counts a scored row (any row, labelled or not). */
  public void addPrediction(double score, long latencyUs) {
    predictions++;
    if (isError(score)) {
      errors++;
    }
    latency.update(latencyUs);
  }

  /** Counts a row joined with its outcome; error rows are never labelled. */
  public void addLabelled(double score, int label) {
    histogram.add(score, label);
    logLossNanos += Statistics.logLossNanos(score, label);
  }

  /** Takes back a labelled row (its outcome was replaced by an earlier one). */
  public void removeLabelled(double score, int label) {
    histogram.remove(score, label);
    logLossNanos -= Statistics.logLossNanos(score, label);
  }

  /** Adds the counters of another partial (used when reading the store back). */
  void addCounters(long predictions, long errors, long logLossNanos) {
    this.predictions += predictions;
    this.errors += errors;
    this.logLossNanos += logLossNanos;
  }

  void mergeLatency(KllDoublesSketch sketch) {
    latency.merge(sketch);
  }

  /** Adds customers seen for the first time (each partition counts its own customers). */
  void addUnits(long count) {
    units += count;
  }

  /**
   * Distinct customers (entity keys) this variant scored: the unit of assignment, so the one the
   * sample-ratio test counts. Rows without a key are not counted.
   */
  public long units() {
    return units;
  }

  public VariantStats merge(VariantStats other) {
    addCounters(other.predictions, other.errors, other.logLossNanos);
    units += other.units;
    histogram.merge(other.histogram);
    if (!other.latency.isEmpty()) {
      latency.merge(other.latency);
    }
    return this;
  }

  public long predictions() {
    return predictions;
  }

  public long errors() {
    return errors;
  }

  /** Error rows over all rows; NaN with no rows. */
  public double errorRate() {
    return predictions == 0 ? Double.NaN : (double) errors / predictions;
  }

  /** Rows joined with an outcome. */
  public long labelled() {
    return histogram.count();
  }

  public long positives() {
    return histogram.positiveCount();
  }

  public long negatives() {
    return histogram.negativeCount();
  }

  /** Summed clipped log loss of the labelled rows, in nano-nats (each row rounded). */
  public long logLossNanos() {
    return logLossNanos;
  }

  /** Mean clipped log loss of the labelled rows; NaN with none. */
  public double logLoss() {
    return labelled() == 0 ? Double.NaN : logLossNanos * Statistics.LOG_LOSS_UNIT / labelled();
  }

  public AucEstimate auc() {
    return histogram.auc();
  }

  public double accuracy(double threshold) {
    return histogram.accuracy(threshold);
  }

  public ScoreHistogram histogram() {
    return histogram;
  }

  /** Latency quantile in microseconds (inclusive rank), NaN with no rows. */
  public double latencyQuantile(double rank) {
    return latency.isEmpty()
        ? Double.NaN
        : latency.getQuantile(rank, QuantileSearchCriteria.INCLUSIVE);
  }

  /** The latency sketch (read only by callers). */
  public KllDoublesSketch latency() {
    return latency;
  }

  static KllDoublesSketch latencyFrom(byte[] bytes) {
    return KllDoublesSketch.heapify(Memory.wrap(bytes));
  }
}
