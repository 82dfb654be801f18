package dev.tessera.serving.retrain;

import dev.tessera.serving.training.ClassifierMetrics;

/**
 * How a model scored on the cycle's holdout.
 *
 * @param auc area under the ROC curve
 * @param logLoss mean log loss (calibration)
 * @param rows holdout rows scored
 * @param positives positive labels among them
 */
public record Evaluation(double auc, double logLoss, int rows, int positives) {
  /** The evaluation of {@code scores} against {@code labels}. */
  public static Evaluation of(int[] labels, double[] scores) {
    ClassifierMetrics m = ClassifierMetrics.of(labels, scores);
    return new Evaluation(m.auc(), m.logLoss(), m.rows(), m.positives());
  }
}
