package dev.tessera.serving.node;

import dev.tessera.features.definition.FeatureService;
import dev.tessera.features.definition.ShippedFeatures;
import dev.tessera.serving.training.LogisticRegressionOnnx;

/**
 * The model a fresh node serves before any model is trained: a logistic regression over {@code
 * churn_v1} whose hand-set coefficients say "customers who stopped ordering are likely to churn".
 * Tessera builds its ONNX bytes at start, so nothing binary is shipped.
 */
public final class BootstrapModel {
  public static final String MODEL_NAME = "churn_model";
  public static final String VERSION = "1";

  // p = sigmoid(1.5 - 0.05 * total_orders - 0.9 * orders_30d): 0.82 with no orders, below 0.5
  // from two recent orders on.
  private static final double[] WEIGHTS = {-0.05, -0.9};
  private static final double BIAS = 1.5;

  private BootstrapModel() {}

  public static FeatureService featureService() {
    return ShippedFeatures.churnV1();
  }

  /** ONNX bytes of the bootstrap model. */
  public static byte[] onnx() {
    var names = featureService().features().stream().map(f -> f.feature()).toList();
    return LogisticRegressionOnnx.build(
        names, WEIGHTS, BIAS, "Tessera bootstrap churn model (hand-set logistic regression)");
  }
}
