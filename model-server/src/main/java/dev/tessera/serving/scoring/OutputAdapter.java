package dev.tessera.serving.scoring;

import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;

/**
 * Turns the one model output a scorer asks for into one score per row. Chosen once per model by
 * {@link OutputSelection}; implementations hold no per-call state and are thread-safe.
 */
interface OutputAdapter {

  /**
   * Writes the score of each of {@code rows} rows into {@code scores[0..rows)}.
   *
   * @throws IllegalStateException if the value does not have the shape the model declared
   */
  void read(OnnxValue output, int rows, double[] scores) throws OrtException;
}
