package dev.tessera.serving.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded synthetic binary-classification set for the trainer and exporter tests: 12 features on
 * different scales, labels from a nonlinear rule plus logistic noise, and missing values.
 *
 * <p>Features 0–3 are Gaussian, 4–5 uniform on [0, 10), 6–7 small counts (so many rows sit exactly
 * on split thresholds), 8 a wide-range amount, 9 a 0/1 flag, 10–11 pure noise. About 5% of features
 * 0–5 are missing, and 30% of feature 4, whose missingness itself predicts the label, so the trees
 * learn both default directions.
 */
final class SyntheticData {
  static final int FEATURES = 12;

  private SyntheticData() {}

  static List<String> columns() {
    List<String> names = new ArrayList<>();
    for (int j = 0; j < FEATURES; j++) {
      names.add("f" + j);
    }
    return names;
  }

  static TrainingSet generate(int rows, long seed) {
    Random random = new Random(seed);
    float[][] x = new float[rows][];
    int[] y = new int[rows];
    long[] timestamps = new long[rows];
    for (int i = 0; i < rows; i++) {
      float[] row = new float[FEATURES];
      for (int j = 0; j < 4; j++) {
        row[j] = (float) random.nextGaussian();
      }
      row[4] = (float) (10 * random.nextDouble());
      row[5] = (float) (10 * random.nextDouble());
      row[6] = random.nextInt(6);
      row[7] = random.nextInt(20);
      row[8] = (float) Math.exp(8 * random.nextDouble());
      row[9] = random.nextBoolean() ? 1f : 0f;
      row[10] = (float) random.nextGaussian();
      row[11] = (float) random.nextDouble();
      boolean amountMissing = random.nextDouble() < 0.3;

      double logit =
          2 * Math.sin(row[0] * 1.5)
              + row[1] * row[2]
              - 1.5 * (row[3] > 0.5 ? 1 : 0)
              + (row[5] - 5) * 0.4
              + (row[6] >= 3 ? 1.2 : -0.4)
              + 0.05 * row[7] * row[9]
              + (Math.log(row[8]) > 6 ? 0.8 : 0)
              + (amountMissing ? 1.0 : 0.15 * (row[4] - 5))
              - 0.3;
      double p = 1 / (1 + Math.exp(-logit));
      y[i] = random.nextDouble() < p ? 1 : 0;

      for (int j = 0; j < 6; j++) {
        if (random.nextDouble() < 0.05) {
          row[j] = Float.NaN;
        }
      }
      if (amountMissing) {
        row[4] = Float.NaN;
      }
      x[i] = row;
      timestamps[i] = 1_767_225_600_000L + i * 60_000L;
    }
    return TrainingSet.of(columns(), x, y, timestamps);
  }
}
