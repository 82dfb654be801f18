package dev.tessera.serving.registry;

import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.definition.ShippedFeatures;
import dev.tessera.serving.training.LogisticRegressionOnnx;
import java.util.ArrayList;
import java.util.List;

/** Small valid ONNX models of any width, for registry tests. */
public final class TestModels {
  private TestModels() {}

  /** A logistic regression over {@code width} inputs. */
  public static byte[] logistic(int width, double bias) {
    var names = new ArrayList<String>();
    double[] weights = new double[width];
    for (int i = 0; i < width; i++) {
      names.add("f" + i);
      weights[i] = 0.01 * (i + 1);
    }
    return LogisticRegressionOnnx.build(names, weights, bias, "registry test model");
  }

  /** A model whose width is the column count of a shipped feature service. */
  public static byte[] forService(String service, double bias) {
    FeatureRegistry features = ShippedFeatures.registry();
    List<String> columns = features.columns(features.service(service).orElseThrow());
    return logistic(columns.size(), bias);
  }
}
