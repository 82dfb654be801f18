package dev.tessera.bench;

import ai.onnxruntime.OrtEnvironment;
import dev.tessera.serving.scoring.OnnxScorer;
import dev.tessera.serving.training.TrainingSet;
import dev.tessera.serving.training.XgboostOnnxExporter;
import dev.tessera.serving.training.XgboostParams;
import dev.tessera.serving.training.XgboostTrainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.HdrHistogram.Histogram;

/**
 * ONNX Runtime against XGBoost4J scoring the same model in one JVM. One XGBoost model is trained
 * with Tessera's own {@link XgboostTrainer} on {@link ChurnShapedData} (the {@code churn_v2}
 * vector's columns; 200 trees of depth 6 by default) and exported with {@link XgboostOnnxExporter};
 * both engines must give the same probabilities within 1e-5 on every benchmark row, one row at a
 * time and all at once, before anything is timed. Then, after a warm-up, the same rows are scored
 * one row per call and in batches of 100, by Tessera's {@link OnnxScorer} (one {@code
 * OrtEnvironment}, one session, one intra-op thread; a tensor per call, closed) and by {@code
 * Booster.predict} (one thread, a {@code DMatrix} per call, disposed), in short slices that take
 * turns: each slice of one engine and mode is followed by the same slice of the other, and which
 * goes first alternates, so drift on the machine hits both alike.
 *
 * <p>Figures: {@code scoring.<onnx|xgboost>.<row|batch100>.{p50,p99,p999,max}_us} per call and
 * {@code .rows_per_s} (rows scored over the time spent in that engine and mode's slices).
 *
 * <pre>{@code
 * java -cp ... dev.tessera.bench.ScoringBench --rows 10000 --seconds 8 --results results.txt
 * }</pre>
 */
public final class ScoringBench {
  static final double TOLERANCE = 1e-5;
  static final int BATCH = 100;
  private static final long SEED = 42L;

  private ScoringBench() {}

  /** One way of scoring rows: the positive-class probability of each. */
  interface Engine {
    String name();

    double[] score(float[] rows, int count);
  }

  public static void main(String[] argv) throws Exception {
    BenchArgs args = BenchArgs.parse(argv);
    Path results = args.path("results");
    Results.append(results, "load.scoring", Machine.loadAverage());
    int trees = args.intValue("trees", 200);
    int depth = args.intValue("depth", 6);
    int rows = args.intValue("rows", 10_000);
    if (rows < BATCH || rows % BATCH != 0) {
      throw new IllegalArgumentException("--rows must be a multiple of " + BATCH + ", got " + rows);
    }

    long started = System.nanoTime();
    TrainingSet training = ChurnShapedData.generate(args.intValue("train-rows", 20_000), SEED);
    XgboostTrainer.Result trained =
        XgboostTrainer.train(
            training,
            XgboostParams.parse(
                "n_estimators=" + trees + ",max_depth=" + depth + ",learning_rate=0.1"),
            SEED);
    byte[] onnx =
        XgboostOnnxExporter.export(
            trained.modelJson(), trained.featureNames(), "churn-shaped benchmark model");
    Results.append(results, "scoring.train_s", (System.nanoTime() - started) / 1e9);
    System.out.printf(
        "[progress] trained %d trees of depth %d on %d rows x %d features, holdout AUC %.3f%n",
        trees, depth, training.rowCount(), training.columnCount(), trained.holdoutMetrics().auc());

    TrainingSet bench = ChurnShapedData.generate(rows, SEED + 1);
    int width = bench.columnCount();
    float[] all = bench.values();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OnnxScorer scorer = OnnxScorer.load(env, onnx, "churn-shaped " + trees + "x" + depth);
        XgboostEngine xgboost = XgboostEngine.load(trained.modelJson(), width)) {
      Engine onnxEngine = new OnnxEngine(scorer);
      Parity parity = checkParity(onnxEngine, xgboost, all, rows, width);
      Results.append(results, "scoring.parity_max_diff", parity.maxDifference());
      Results.append(results, "scoring.rows", rows);
      Results.append(results, "scoring.features", width);
      Results.append(results, "scoring.trees", trees);
      Results.append(results, "scoring.depth", depth);

      var session =
          new Session(
              List.of(onnxEngine, xgboost),
              Slices.of(all, rows, width, 1),
              Slices.of(all, rows, width, BATCH));
      long sliceNanos = TimeUnit.MILLISECONDS.toNanos(args.longValue("slice-ms", 250));
      session.run(args.longValue("warmup-seconds", 6) * 1_000_000_000L, sliceNanos, false);
      session.run(args.longValue("seconds", 8) * 1_000_000_000L, sliceNanos, true);
      session.report(results);
    }
  }

  /** Both engines on every row, one at a time and all at once: they must agree within 1e-5. */
  private static Parity checkParity(Engine a, Engine b, float[] all, int rows, int width) {
    double[] batchA = a.score(all, rows);
    double[] batchB = b.score(all, rows);
    Parity batch = Parity.of(batchA, batchB).check(TOLERANCE);
    double[] singleA = new double[rows];
    double[] singleB = new double[rows];
    float[][] singles = Slices.of(all, rows, width, 1);
    for (int i = 0; i < rows; i++) {
      singleA[i] = a.score(singles[i], 1)[0];
      singleB[i] = b.score(singles[i], 1)[0];
    }
    Parity single = Parity.of(singleA, singleB).check(TOLERANCE);
    // One row alone must score as it does in a batch, on each engine.
    Parity.of(batchA, singleA).check(TOLERANCE);
    Parity.of(batchB, singleB).check(TOLERANCE);
    System.out.printf(
        "[progress] parity on %d rows: max |onnx - xgboost| %.3g in batch, %.3g one row per call%n",
        rows, batch.maxDifference(), single.maxDifference());
    return batch.maxDifference() >= single.maxDifference() ? batch : single;
  }

  /** The timed loop: slices of each engine and mode, taking turns ({@link #order}). */
  private static final class Session {
    private final List<Engine> engines;
    private final float[][][] inputs;
    private final int[] sizes;
    private final Histogram[][] nanos;
    private final long[][] rows;
    private final long[][] spent;
    private double sink;

    Session(List<Engine> engines, float[][] singles, float[][] batches) {
      this.engines = engines;
      this.inputs = new float[][][] {singles, batches};
      this.sizes = new int[] {1, BATCH};
      this.nanos = new Histogram[engines.size()][2];
      this.rows = new long[engines.size()][2];
      this.spent = new long[engines.size()][2];
      for (Histogram[] perEngine : nanos) {
        for (int m = 0; m < 2; m++) {
          perEngine[m] = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        }
      }
    }

    /** Runs every engine and mode for {@code total} nanoseconds each, in turns of a slice. */
    void run(long total, long slice, boolean record) {
      int slices = (int) Math.max(1, total / slice);
      int[] next = new int[2];
      for (int s = 0; s < slices; s++) {
        for (int[] turn : order(s, engines.size())) {
          int e = turn[0];
          int m = turn[1];
          float[][] input = inputs[m];
          Histogram h = nanos[e][m];
          Engine engine = engines.get(e);
          long sliceStart = System.nanoTime();
          long end = sliceStart + slice;
          long now = sliceStart;
          long calls = 0;
          int i = next[m];
          while (now < end) {
            float[] rowsOfCall = input[i];
            i = i + 1 == input.length ? 0 : i + 1;
            long before = now;
            sink += engine.score(rowsOfCall, sizes[m])[0];
            now = System.nanoTime();
            calls++;
            if (record) {
              h.recordValue(Math.min(now - before, h.getHighestTrackableValue()));
            }
          }
          next[m] = i;
          if (record) {
            rows[e][m] += calls * sizes[m];
            spent[e][m] += now - sliceStart;
          }
        }
      }
    }

    void report(Path results) {
      if (sink == 0) {
        throw new IllegalStateException("Every score was 0: the model cannot be right");
      }
      String[] modes = {"row", "batch" + BATCH};
      for (int e = 0; e < engines.size(); e++) {
        for (int m = 0; m < 2; m++) {
          String prefix = "scoring." + engines.get(e).name() + "." + modes[m];
          Histogram h = nanos[e][m];
          Results.append(results, prefix + ".p50_us", h.getValueAtPercentile(50) / 1e3);
          Results.append(results, prefix + ".p99_us", h.getValueAtPercentile(99) / 1e3);
          Results.append(results, prefix + ".p999_us", h.getValueAtPercentile(99.9) / 1e3);
          Results.append(results, prefix + ".max_us", h.getMaxValue() / 1e3);
          Results.append(results, prefix + ".calls", h.getTotalCount());
          Results.append(results, prefix + ".rows_per_s", rows[e][m] / (spent[e][m] / 1e9));
        }
      }
    }
  }

  /**
   * The turns of slice {@code s}: every engine in each mode, one row per call then batches, the
   * engines in order on even slices and reversed on odd ones, so neither always goes first.
   *
   * @return pairs {@code {engine, mode}}, mode 0 one row per call, 1 batches
   */
  static int[][] order(int s, int engines) {
    int[][] turns = new int[engines * 2][];
    int t = 0;
    for (int m = 0; m < 2; m++) {
      for (int k = 0; k < engines; k++) {
        int e = s % 2 == 0 ? k : engines - 1 - k;
        turns[t++] = new int[] {e, m};
      }
    }
    return turns;
  }

  /** Row-major rows cut into consecutive calls of {@code size} rows, copied once, off the clock. */
  static final class Slices {
    private Slices() {}

    static float[][] of(float[] all, int rows, int width, int size) {
      if (rows % size != 0) {
        throw new IllegalArgumentException(rows + " rows do not cut into calls of " + size);
      }
      float[][] calls = new float[rows / size][];
      for (int c = 0; c < calls.length; c++) {
        calls[c] = new float[size * width];
        System.arraycopy(all, c * size * width, calls[c], 0, size * width);
      }
      return calls;
    }
  }

  /** Tessera's serving path: {@link OnnxScorer#score}, a tensor per call, closed inside. */
  private record OnnxEngine(OnnxScorer scorer) implements Engine {
    @Override
    public String name() {
      return "onnx";
    }

    @Override
    public double[] score(float[] rows, int count) {
      return scorer.score(rows, count);
    }
  }

  /** XGBoost4J's own predict: a {@code DMatrix} per call, disposed after it. */
  static final class XgboostEngine implements Engine, AutoCloseable {
    private final Booster booster;
    private final int width;

    private XgboostEngine(Booster booster, int width) {
      this.booster = booster;
      this.width = width;
    }

    /**
     * Loads the JSON model with one prediction thread, as ONNX Runtime gets one intra-op thread.
     */
    static XgboostEngine load(byte[] modelJson, int width) throws XGBoostError, IOException {
      Booster booster = XGBoost.loadModel(modelJson);
      try {
        booster.setParam("nthread", 1);
        return new XgboostEngine(booster, width);
      } catch (XGBoostError | RuntimeException e) {
        booster.dispose();
        throw e;
      }
    }

    @Override
    public String name() {
      return "xgboost";
    }

    @Override
    public double[] score(float[] rows, int count) {
      DMatrix matrix = null;
      try {
        matrix = new DMatrix(rows, count, width, Float.NaN);
        float[][] predicted = booster.predict(matrix);
        double[] scores = new double[count];
        for (int i = 0; i < count; i++) {
          scores[i] = predicted[i][0];
        }
        return scores;
      } catch (XGBoostError e) {
        throw new IllegalStateException(
            "XGBoost failed to predict " + count + " rows: " + firstLine(e), e);
      } finally {
        if (matrix != null) {
          matrix.dispose();
        }
      }
    }

    @Override
    public void close() {
      booster.dispose();
    }
  }

  /** XGBoost appends a native stack trace to its messages; the first line says what went wrong. */
  private static String firstLine(Exception e) {
    String m = String.valueOf(e.getMessage());
    int newline = m.indexOf('\n');
    return newline < 0 ? m : m.substring(0, newline);
  }
}
