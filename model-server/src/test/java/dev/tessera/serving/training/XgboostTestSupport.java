package dev.tessera.serving.training;

import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;

/** XGBoost's own predictions, the reference the trainer and exporter tests compare against. */
final class XgboostTestSupport {
  private XgboostTestSupport() {}

  /** Loads the JSON model and predicts the rows {@code indices} of {@code set}. */
  static float[][] predict(byte[] modelJson, TrainingSet set, int[] indices) throws Exception {
    return predict(modelJson, set.rows(indices), indices.length, set.columnCount());
  }

  /** Loads the JSON model and predicts a row-major matrix; {@code NaN} is missing. */
  static float[][] predict(byte[] modelJson, float[] values, int rows, int columns)
      throws Exception {
    Booster booster = XGBoost.loadModel(modelJson);
    DMatrix matrix = null;
    try {
      matrix = new DMatrix(values, rows, columns, Float.NaN);
      return booster.predict(matrix);
    } finally {
      if (matrix != null) {
        matrix.dispose();
      }
      booster.dispose();
    }
  }
}
