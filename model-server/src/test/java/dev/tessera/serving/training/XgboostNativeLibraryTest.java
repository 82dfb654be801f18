package dev.tessera.serving.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;

/**
 * XGBoost4J ships its native library inside the jar and extracts it on first use; this fails loudly
 * if the platform (or libgomp, which the Linux build links against) is missing, and proves the
 * Scala exclusions left nothing the Java API needs.
 */
class XgboostNativeLibraryTest {

  @Test
  void shouldLoadNativeLibraryAndTrainOneRound() throws Exception {
    // Enough rows that a split clears min_child_weight (hessian 0.25 per row at p = 0.5).
    int rows = 40;
    float[] x = new float[rows];
    float[] y = new float[rows];
    for (int i = 0; i < rows; i++) {
      x[i] = i;
      y[i] = i < rows / 2 ? 0f : 1f;
    }
    DMatrix data = new DMatrix(x, rows, 1, Float.NaN);
    Booster booster = null;
    try {
      data.setLabel(y);
      booster =
          XGBoost.train(
              data,
              Map.of("objective", "binary:logistic", "nthread", "1", "seed", "0"),
              1,
              Map.of(),
              null,
              null);
      float[][] predictions = booster.predict(data);

      assertThat(booster.getNumBoostedRound()).isEqualTo(1);
      assertThat(predictions).hasNumberOfRows(rows);
      assertThat(predictions[0][0]).isLessThan(0.5f);
      assertThat(predictions[rows - 1][0]).isGreaterThan(0.5f);
    } finally {
      if (booster != null) {
        booster.dispose();
      }
      data.dispose();
    }
  }
}
