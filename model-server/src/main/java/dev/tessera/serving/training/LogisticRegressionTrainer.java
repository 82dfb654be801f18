package dev.tessera.serving.training;

import java.util.Arrays;

/**
 * Fits a logistic regression by plain batch gradient descent with an L2 penalty: small and honest,
 * enough to bootstrap a demo model, not a replacement for the gradient-boosted trainer.
 *
 * <p>Features are standardised (mean 0, standard deviation 1) before fitting, so one step size
 * suits every scale and the penalty {@code l2 / 2 * |w|²} weighs standardised coefficients, the way
 * a scaler + regularised regression pipeline does; the bias is not penalised. The fitted
 * coefficients are folded back to the raw feature scale, so they can be served directly by {@link
 * LogisticRegressionOnnx}. A feature that never varies gets weight 0.
 *
 * <pre>{@code
 * Coefficients fit = LogisticRegressionTrainer.fit(x, y, 0.01, 500);
 * byte[] model = LogisticRegressionOnnx.build(names, fit.weights(), fit.bias(), "churn LR");
 * }</pre>
 */
public final class LogisticRegressionTrainer {
  private static final double GRADIENT_TOLERANCE = 1e-7;

  private LogisticRegressionTrainer() {}

  /** Fitted coefficients on the raw feature scale: {@code P(y=1|x) = sigmoid(w·x + b)}. */
  public record Coefficients(double[] weights, double bias) {
    /** Copies {@code weights}. */
    public Coefficients {
      weights = weights.clone();
    }

    /** A copy of the weights, one per feature. */
    @Override
    public double[] weights() {
      return weights.clone();
    }

    /** The model's probability of the positive class for one row of raw features. */
    public double probability(float[] row) {
      double logit = bias;
      for (int j = 0; j < weights.length; j++) {
        logit += weights[j] * row[j];
      }
      return sigmoid(logit);
    }
  }

  /**
   * Fits {@code P(y=1|x) = sigmoid(w·x + b)} to the rows {@code x} and labels {@code y}.
   *
   * @param x rows of equal length with finite values
   * @param y one label per row, 0 or 1, with both classes present
   * @param l2 penalty on the standardised weights, {@code >= 0}
   * @param iterations maximum number of full-batch gradient steps; stops early once the gradient
   *     vanishes
   * @throws IllegalArgumentException if the data are empty, ragged, not finite or of one class
   */
  public static Coefficients fit(float[][] x, int[] y, double l2, int iterations) {
    int rows = x.length;
    validate(x, y, l2, iterations);
    int features = x[0].length;
    double[] mean = new double[features];
    double[] scale = new double[features];
    double[][] z = standardise(x, mean, scale);

    double positives = 0;
    for (int label : y) {
      positives += label;
    }
    double[] w = new double[features];
    double b = Math.log(positives / (rows - positives)); // the optimum when w = 0
    // The mean log loss has a gradient that is Lipschitz with constant at most
    // (features + 1) / 4 on standardised data (the trace bound), so 1 / L never overshoots.
    double step = 1.0 / ((features + 1) / 4.0 + l2);
    double[] gradient = new double[features];
    for (int iteration = 0; iteration < iterations; iteration++) {
      Arrays.fill(gradient, 0);
      double gradientB = 0;
      for (int i = 0; i < rows; i++) {
        double logit = b;
        for (int j = 0; j < features; j++) {
          logit += w[j] * z[i][j];
        }
        double error = sigmoid(logit) - y[i];
        gradientB += error;
        for (int j = 0; j < features; j++) {
          gradient[j] += error * z[i][j];
        }
      }
      double largest = Math.abs(gradientB / rows);
      b -= step * gradientB / rows;
      for (int j = 0; j < features; j++) {
        double g = gradient[j] / rows + l2 * w[j];
        largest = Math.max(largest, Math.abs(g));
        w[j] -= step * g;
      }
      if (largest < GRADIENT_TOLERANCE) {
        break;
      }
    }
    // sigmoid(sum w_j (x_j - mean_j) / scale_j + b) = sigmoid(sum (w_j / scale_j) x_j + b')
    double bias = b;
    double[] weights = new double[features];
    for (int j = 0; j < features; j++) {
      weights[j] = w[j] / scale[j];
      bias -= weights[j] * mean[j];
    }
    return new Coefficients(weights, bias);
  }

  private static double[][] standardise(float[][] x, double[] mean, double[] scale) {
    int rows = x.length;
    int features = mean.length;
    for (float[] row : x) {
      for (int j = 0; j < features; j++) {
        mean[j] += row[j];
      }
    }
    for (int j = 0; j < features; j++) {
      mean[j] /= rows;
    }
    for (float[] row : x) {
      for (int j = 0; j < features; j++) {
        double d = row[j] - mean[j];
        scale[j] += d * d;
      }
    }
    for (int j = 0; j < features; j++) {
      double sd = Math.sqrt(scale[j] / rows);
      // A constant feature standardises to 0 whatever the scale: its weight stays 0.
      scale[j] = sd > 0 ? sd : 1;
    }
    double[][] z = new double[rows][features];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < features; j++) {
        z[i][j] = (x[i][j] - mean[j]) / scale[j];
      }
    }
    return z;
  }

  private static void validate(float[][] x, int[] y, double l2, int iterations) {
    if (x.length == 0 || x.length != y.length) {
      throw new IllegalArgumentException(
          "Expected one label per row and at least one row, got "
              + x.length
              + " rows and "
              + y.length
              + " labels");
    }
    if (!(l2 >= 0) || Double.isInfinite(l2) || iterations < 0) {
      throw new IllegalArgumentException(
          "Expected l2 >= 0 and iterations >= 0, got l2 " + l2 + ", iterations " + iterations);
    }
    int features = x[0].length;
    if (features == 0) {
      throw new IllegalArgumentException("Rows have no features");
    }
    int positives = 0;
    for (int i = 0; i < x.length; i++) {
      if (x[i].length != features) {
        throw new IllegalArgumentException(
            "Row " + i + " has " + x[i].length + " features, expected " + features);
      }
      for (float value : x[i]) {
        if (!Float.isFinite(value)) {
          throw new IllegalArgumentException("Row " + i + " has a non-finite feature: " + value);
        }
      }
      if (y[i] != 0 && y[i] != 1) {
        throw new IllegalArgumentException(
            "Label of row " + i + " is " + y[i] + ", expected 0 or 1");
      }
      positives += y[i];
    }
    if (positives == 0 || positives == x.length) {
      throw new IllegalArgumentException(
          "Both classes are needed to fit, got "
              + positives
              + " positives in "
              + x.length
              + " rows");
    }
  }

  static double sigmoid(double logit) {
    return 1.0 / (1.0 + Math.exp(-logit));
  }
}
