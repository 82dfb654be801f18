package dev.tessera.serving.scoring;

import ai.onnxruntime.OnnxMap;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import java.util.List;
import java.util.Map;

/**
 * Reads the skl2onnx-style {@code ZipMap} output {@code seq(map(int64, float))}: one map per row
 * from class label to probability; the score is the value for label 1. A map with other than two
 * classes, or without label 1, is refused.
 *
 * <p>The runtime's Java API can only hand maps over boxed, one native map per row, which is why
 * ZipMap models score slower than models with a probability tensor.
 */
final class ZipMapOutputAdapter implements OutputAdapter {
  private static final Long POSITIVE_CLASS = 1L;

  private final String outputName;

  ZipMapOutputAdapter(String outputName) {
    this.outputName = outputName;
  }

  @Override
  public void read(OnnxValue output, int rows, double[] scores) throws OrtException {
    if (!(output instanceof OnnxSequence sequence)) {
      throw new IllegalStateException(
          "Output '" + outputName + "' is not a sequence: " + output.getInfo());
    }
    // The maps are new native values owned by us, not by the sequence.
    List<? extends OnnxValue> maps = sequence.getValue();
    try {
      if (maps.size() != rows) {
        throw new IllegalStateException(
            "Output '" + outputName + "' has " + maps.size() + " maps, expected " + rows);
      }
      for (int row = 0; row < rows; row++) {
        Map<? extends Object, ? extends Object> probabilities =
            ((OnnxMap) maps.get(row)).getValue();
        Object positive = probabilities.get(POSITIVE_CLASS);
        if (probabilities.size() != 2 || !(positive instanceof Number)) {
          throw new IllegalStateException(
              "Output '"
                  + outputName
                  + "' maps classes "
                  + probabilities.keySet()
                  + "; expected a binary classifier with classes 0 and 1");
        }
        scores[row] = ((Number) positive).doubleValue();
      }
    } finally {
      OnnxValue.close(maps);
    }
  }

  @Override
  public String toString() {
    return "class 1 of ZipMap '" + outputName + "'";
  }
}
