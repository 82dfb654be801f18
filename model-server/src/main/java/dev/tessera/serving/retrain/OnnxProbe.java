package dev.tessera.serving.retrain;

import ai.onnxruntime.OrtEnvironment;
import dev.tessera.serving.scoring.OnnxScorer;
import dev.tessera.serving.training.TrainingSet;
import java.util.Arrays;

/**
 * Scores holdout rows with a model in ONNX Runtime, as serving would: the batch for the metrics,
 * and one row at a time for the latency gate.
 *
 * <pre>{@code
 * double[] scores = OnnxProbe.scores(onnx, rows);
 * double p99 = OnnxProbe.latencyP99Micros(onnx, rows, 1000);
 * }</pre>
 */
public final class OnnxProbe {
  private OnnxProbe() {}

  /** The positive-class probability of each row. */
  public static double[] scores(byte[] onnx, TrainingSet rows) {
    try (OnnxScorer scorer = OnnxScorer.load(OrtEnvironment.getEnvironment(), onnx)) {
      return scorer.score(rows.values(), rows.rowCount());
    }
  }

  /**
   * p99 of {@code count} one-row scorings (cycling through {@code rows}) after as many warm-up
   * calls, in microseconds.
   */
  public static double latencyP99Micros(byte[] onnx, TrainingSet rows, int count) {
    float[][] each = new float[rows.rowCount()][];
    for (int r = 0; r < each.length; r++) {
      each[r] = rows.row(r);
    }
    try (OnnxScorer scorer = OnnxScorer.load(OrtEnvironment.getEnvironment(), onnx)) {
      for (int i = 0; i < count; i++) {
        scorer.score(each[i % each.length], 1);
      }
      long[] nanos = new long[count];
      for (int i = 0; i < count; i++) {
        long start = System.nanoTime();
        scorer.score(each[i % each.length], 1);
        nanos[i] = System.nanoTime() - start;
      }
      Arrays.sort(nanos);
      return nanos[(int) Math.ceil(0.99 * count) - 1] / 1_000.0;
    }
  }
}
