package dev.tessera.serving.scoring;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * Reads one column of a float or double tensor output: {@code [N]} and {@code [N,1]} (column 0 of
 * 1) or {@code [N,2]} class probabilities (column 1 of 2, the positive class).
 */
final class TensorOutputAdapter implements OutputAdapter {
  private final String outputName;
  private final boolean doubles;
  private final int columns;
  private final int column;

  TensorOutputAdapter(String outputName, boolean doubles, int columns, int column) {
    if (columns < 1 || column < 0 || column >= columns) {
      throw new IllegalArgumentException(
          "Column " + column + " out of range for " + columns + " columns of " + outputName);
    }
    this.outputName = outputName;
    this.doubles = doubles;
    this.columns = columns;
    this.column = column;
  }

  @Override
  public void read(OnnxValue output, int rows, double[] scores) {
    if (!(output instanceof OnnxTensor tensor)) {
      throw new IllegalStateException(
          "Output '" + outputName + "' is not a tensor: " + output.getInfo());
    }
    // Both getters copy the native tensor once; indexing the copy avoids boxing.
    if (doubles) {
      DoubleBuffer values = tensor.getDoubleBuffer();
      checkSize(values == null ? -1 : values.remaining(), rows, tensor);
      for (int row = 0; row < rows; row++) {
        scores[row] = values.get(row * columns + column);
      }
    } else {
      FloatBuffer values = tensor.getFloatBuffer();
      checkSize(values == null ? -1 : values.remaining(), rows, tensor);
      for (int row = 0; row < rows; row++) {
        scores[row] = values.get(row * columns + column);
      }
    }
  }

  private void checkSize(int size, int rows, OnnxTensor tensor) {
    if (size != rows * columns) {
      throw new IllegalStateException(
          "Output '"
              + outputName
              + "' has "
              + tensor.getInfo()
              + ", expected "
              + rows
              + " x "
              + columns
              + (doubles ? " doubles" : " floats"));
    }
  }

  @Override
  public String toString() {
    return "column " + column + " of " + columns + " of tensor '" + outputName + "'";
  }
}
