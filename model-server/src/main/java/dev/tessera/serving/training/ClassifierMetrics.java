package dev.tessera.serving.training;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Arrays;
import java.util.Comparator;

/**
 * How well a binary classifier's probabilities fit 0/1 labels, on one set of rows (the holdout).
 *
 * <ul>
 *   <li>{@code auc}: area under the ROC curve, computed as the Mann–Whitney statistic: the chance
 *       that a random positive scores above a random negative, ties counting one half (tied scores
 *       share their average rank).
 *   <li>{@code precision}, {@code recall}, {@code accuracy}: at {@code threshold}, a row is
 *       predicted positive when its probability is strictly greater than the threshold — the rule
 *       XGBoost's own classifier and ONNX Runtime's {@code label} output use at 0.5. Precision is 0
 *       when no row is predicted positive, recall 0 when there are no positives (scikit-learn's
 *       {@code zero_division=0}), so every field stays a finite JSON number.
 *   <li>{@code logLoss}: mean negative log-likelihood in nats, with probabilities clipped to {@code
 *       [1e-15, 1 - 1e-15]} so one confident mistake costs about 34.5 instead of infinity.
 * </ul>
 *
 * <p>In JSON the fields are snake_case ({@code log_loss}), like the rest of Tessera's JSON.
 *
 * <pre>{@code
 * ClassifierMetrics m = ClassifierMetrics.of(new int[] {0, 0, 1, 1}, new double[] {0.1, 0.4, 0.35, 0.8});
 * m.auc();        // 0.75
 * m.precision();  // 1.0 (only 0.8 is above 0.5)
 * m.recall();     // 0.5
 * }</pre>
 *
 * @param rows number of rows scored
 * @param positives number of rows labelled 1
 * @param auc area under the ROC curve, in [0, 1]
 * @param threshold probability above which a row is predicted positive
 * @param precision true positives / predicted positives
 * @param recall true positives / positives
 * @param accuracy correct predictions / rows
 * @param logLoss mean binary cross-entropy, natural log
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ClassifierMetrics(
    int rows,
    int positives,
    double auc,
    double threshold,
    double precision,
    double recall,
    double accuracy,
    double logLoss) {

  /** The threshold {@link #of(int[], double[])} uses. */
  public static final double DEFAULT_THRESHOLD = 0.5;

  /** The log loss clips the true class's probability to {@code [EPSILON, 1 - EPSILON]}. */
  public static final double LOG_LOSS_EPSILON = 1e-15;

  /**
   * Computes every metric at threshold {@value #DEFAULT_THRESHOLD}.
   *
   * @param labels one label per row, 0 or 1, both classes present
   * @param probabilities one probability of class 1 per row, in [0, 1]
   * @throws IllegalArgumentException if the arrays are empty or of different lengths, a label is
   *     not 0 or 1, a probability is outside [0, 1], or only one class is present
   */
  public static ClassifierMetrics of(int[] labels, double[] probabilities) {
    return of(labels, probabilities, DEFAULT_THRESHOLD);
  }

  /**
   * Computes every metric, predicting positive above {@code threshold}.
   *
   * @throws IllegalArgumentException as {@link #of(int[], double[])}, or if the threshold is
   *     outside [0, 1]
   */
  public static ClassifierMetrics of(int[] labels, double[] probabilities, double threshold) {
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new IllegalArgumentException("Threshold must be in [0, 1], got " + threshold);
    }
    int positives = validate(labels, probabilities, true);
    long truePositives = 0;
    long predictedPositives = 0;
    long correct = 0;
    for (int i = 0; i < labels.length; i++) {
      boolean predicted = probabilities[i] > threshold;
      boolean actual = labels[i] == 1;
      if (predicted) {
        predictedPositives++;
      }
      if (predicted && actual) {
        truePositives++;
      }
      if (predicted == actual) {
        correct++;
      }
    }
    return new ClassifierMetrics(
        labels.length,
        positives,
        auc(labels, probabilities),
        threshold,
        ratio(truePositives, predictedPositives),
        ratio(truePositives, positives),
        ratio(correct, labels.length),
        logLoss(labels, probabilities));
  }

  /**
   * The area under the ROC curve of {@code scores} (any finite numbers; only their order counts).
   *
   * @throws IllegalArgumentException if the arrays are empty or of different lengths, a label is
   *     not 0 or 1, a score is not finite, or only one class is present
   */
  public static double auc(int[] labels, double[] scores) {
    int positives = validate(labels, scores, false);
    int negatives = labels.length - positives;
    if (positives == 0 || negatives == 0) {
      throw new IllegalArgumentException(
          "AUC needs both classes, got " + positives + " positives in " + labels.length + " rows");
    }
    Integer[] order = new Integer[labels.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
    // Mann–Whitney U from the rank sum of the positives; a run of tied scores at 0-based
    // positions [start, end) shares the average of the 1-based ranks start+1 .. end.
    double positiveRankSum = 0;
    for (int start = 0; start < order.length; ) {
      int end = start + 1;
      while (end < order.length && scores[order[end]] == scores[order[start]]) {
        end++;
      }
      double averageRank = (start + 1 + end) / 2.0;
      for (int k = start; k < end; k++) {
        if (labels[order[k]] == 1) {
          positiveRankSum += averageRank;
        }
      }
      start = end;
    }
    double u = positiveRankSum - (double) positives * (positives + 1) / 2;
    return u / ((double) positives * negatives);
  }

  /**
   * The mean binary cross-entropy (natural log) of {@code probabilities}, clipped to {@code [1e-15,
   * 1 - 1e-15]}.
   *
   * @throws IllegalArgumentException if the arrays are empty or of different lengths, a label is
   *     not 0 or 1 or a probability is outside [0, 1]
   */
  public static double logLoss(int[] labels, double[] probabilities) {
    validate(labels, probabilities, true);
    double sum = 0;
    for (int i = 0; i < labels.length; i++) {
      // Clip the probability of the true class, so 0 and 1 cost the same on either side
      // (1 - (1 - 1e-15) is not 1e-15 in doubles).
      double p = labels[i] == 1 ? probabilities[i] : 1 - probabilities[i];
      sum += Math.log(Math.min(1 - LOG_LOSS_EPSILON, Math.max(LOG_LOSS_EPSILON, p)));
    }
    return -sum / labels.length;
  }

  private static double ratio(long numerator, long denominator) {
    return denominator == 0 ? 0 : (double) numerator / denominator;
  }

  /** Returns the number of positives. */
  private static int validate(int[] labels, double[] scores, boolean probabilities) {
    if (labels.length == 0 || labels.length != scores.length) {
      throw new IllegalArgumentException(
          "Expected one score per label and at least one row, got "
              + labels.length
              + " labels and "
              + scores.length
              + " scores");
    }
    int positives = 0;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] != 0 && labels[i] != 1) {
        throw new IllegalArgumentException(
            "Label of row " + i + " is " + labels[i] + ", expected 0 or 1");
      }
      positives += labels[i];
      boolean valid = probabilities ? scores[i] >= 0 && scores[i] <= 1 : Double.isFinite(scores[i]);
      if (!valid) {
        throw new IllegalArgumentException(
            (probabilities ? "Probability" : "Score")
                + " of row "
                + i
                + " is "
                + scores[i]
                + (probabilities ? ", expected a value in [0, 1]" : ", expected a finite number"));
      }
    }
    return positives;
  }
}
