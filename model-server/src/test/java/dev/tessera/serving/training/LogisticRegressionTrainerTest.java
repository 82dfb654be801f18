package dev.tessera.serving.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OrtEnvironment;
import dev.tessera.serving.scoring.OnnxScorer;
import dev.tessera.serving.training.LogisticRegressionTrainer.Coefficients;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LogisticRegressionTrainerTest {
  private static final double[] TRUE_WEIGHTS = {0.02, -1.5, 0.3};
  private static final double TRUE_BIAS = -0.5;
  private static final int ROWS = 20_000;

  private final float[][] x = new float[ROWS][];
  private final int[] y = new int[ROWS];

  LogisticRegressionTrainerTest() {
    // Features on very different scales, labels drawn from the true model.
    Random random = new Random(7);
    for (int i = 0; i < ROWS; i++) {
      x[i] =
          new float[] {
            (float) (50 + 100 * random.nextGaussian()),
            (float) random.nextGaussian(),
            (float) (10 * random.nextDouble())
          };
      double p = 1 / (1 + Math.exp(-(TRUE_BIAS + dot(TRUE_WEIGHTS, x[i]))));
      y[i] = random.nextDouble() < p ? 1 : 0;
    }
  }

  @Test
  void shouldRecoverCoefficientsOfTheGeneratingModel() {
    Coefficients fit = LogisticRegressionTrainer.fit(x, y, 0, 500);

    assertThat(fit.weights()[0]).isCloseTo(TRUE_WEIGHTS[0], within(0.003));
    assertThat(fit.weights()[1]).isCloseTo(TRUE_WEIGHTS[1], within(0.1));
    assertThat(fit.weights()[2]).isCloseTo(TRUE_WEIGHTS[2], within(0.03));
    assertThat(fit.bias()).isCloseTo(TRUE_BIAS, within(0.15));
  }

  @Test
  void shouldShrinkWeightsWithL2() {
    Coefficients free = LogisticRegressionTrainer.fit(x, y, 0, 300);
    Coefficients shrunk = LogisticRegressionTrainer.fit(x, y, 1.0, 300);

    assertThat(Math.abs(shrunk.weights()[1])).isLessThan(Math.abs(free.weights()[1]) * 0.8);
  }

  @Test
  void shouldGiveConstantFeatureZeroWeight() {
    float[][] withConstant = new float[ROWS][];
    for (int i = 0; i < ROWS; i++) {
      withConstant[i] = new float[] {x[i][1], 42f};
    }

    Coefficients fit = LogisticRegressionTrainer.fit(withConstant, y, 0.01, 200);

    assertThat(fit.weights()[1]).isZero();
    assertThat(fit.weights()[0]).isNegative();
  }

  @Test
  void shouldServeFittedModelWithTheTrainersProbabilities() {
    Coefficients fit = LogisticRegressionTrainer.fit(x, y, 0.01, 300);
    byte[] model =
        LogisticRegressionOnnx.build(
            List.of("orders", "tenure", "tickets"), fit.weights(), fit.bias(), "fitted");
    float[] rows = new float[100 * 3];
    for (int i = 0; i < 100; i++) {
      System.arraycopy(x[i], 0, rows, i * 3, 3);
    }

    try (OnnxScorer scorer = OnnxScorer.load(OrtEnvironment.getEnvironment(), model)) {
      double[] scores = scorer.score(rows, 100);
      for (int i = 0; i < 100; i++) {
        assertThat(scores[i]).as("row %d", i).isCloseTo(fit.probability(x[i]), within(1e-5));
      }
    }
  }

  @Test
  void shouldRefuseLabelsOfOneClassAndRaggedRows() {
    assertThatThrownBy(
            () ->
                LogisticRegressionTrainer.fit(new float[][] {{1f}, {2f}}, new int[] {1, 1}, 0, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Both classes are needed to fit, got 2 positives in 2 rows");
    assertThatThrownBy(
            () ->
                LogisticRegressionTrainer.fit(
                    new float[][] {{1f, 2f}, {2f}}, new int[] {0, 1}, 0, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Row 1 has 1 features, expected 2");
    assertThatThrownBy(
            () ->
                LogisticRegressionTrainer.fit(new float[][] {{1f}, {2f}}, new int[] {0, 2}, 0, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Label of row 1 is 2, expected 0 or 1");
  }

  private static double dot(double[] w, float[] row) {
    double sum = 0;
    for (int j = 0; j < w.length; j++) {
      sum += w[j] * row[j];
    }
    return sum;
  }
}
