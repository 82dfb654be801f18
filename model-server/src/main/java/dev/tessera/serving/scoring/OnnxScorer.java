package dev.tessera.serving.scoring;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxModelMetadata;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A {@link Scorer} backed by one ONNX Runtime session.
 *
 * <p><b>Input.</b> The model must have exactly one input: a float tensor {@code [N, F]} with a
 * dynamic batch dimension {@code N} and a fixed feature count {@code F}, which becomes {@link
 * #featureCount()}. Anything else is refused at load with an {@link IllegalArgumentException}.
 *
 * <p><b>Output.</b> One output is scored, chosen at load:
 *
 * <ol>
 *   <li>a float or double tensor whose name contains {@code prob} ({@code probability}, {@code
 *       probabilities}, {@code output_probability}); else
 *   <li>a ZipMap output {@code seq(map(int64, float))} (skl2onnx's default), read at class 1; else
 *   <li>the one float or double tensor output ({@code variable}, {@code predictions}, ...).
 * </ol>
 *
 * <p>A tensor {@code [N]} or {@code [N,1]} gives the score directly; {@code [N,2]} is read at
 * column 1, the positive class. Two candidates at the same step, more than two columns or classes
 * (multiclass), or no candidate at all are refused at load. Integer or string {@code [N]} outputs
 * ({@code label}) are predicted classes: never scored, but they mark the model as a classifier.
 *
 * <p><b>Kind.</b> A model is a {@link ModelKind#CLASSIFIER} if it has a label output, is scored
 * from a ZipMap or from two probability columns, or its scored output is named like a probability;
 * otherwise — one {@code [N]} or {@code [N,1]} output named like {@code variable} or {@code
 * predictions} and no label — it is a {@link ModelKind#REGRESSOR}.
 *
 * <p>Loading also runs the model once on a row of zeros, so an output the rules accept but that
 * turns out to hold something else (a ZipMap of three classes) is refused at load, not at the first
 * request, and the first request does not pay for the runtime's lazy allocations.
 *
 * <p>The session uses one intra-op thread (serving scales by concurrent requests, which the session
 * allows) and every graph optimisation. Scoring is thread-safe; {@link #close()} waits for scores
 * in flight, and later calls to {@link #score} throw {@link IllegalStateException}.
 *
 * <pre>{@code
 * OrtEnvironment env = OrtEnvironment.getEnvironment(); // one per process
 * try (OnnxScorer scorer = OnnxScorer.load(env, Files.readAllBytes(path), "churn v3")) {
 *   double[] probabilities = scorer.score(features, rows);
 * }
 * }</pre>
 */
public final class OnnxScorer implements Scorer {
  private final OrtEnvironment env;
  private final OrtSession session;
  private final String description;
  private final String inputName;
  private final int featureCount;
  private final Set<String> requestedOutputs;
  private final OutputSelection output;
  private final Map<String, String> metadata;
  // Native sessions must not be freed under a running score: scores share the read lock,
  // close takes the write lock.
  private final ReadWriteLock closeLock = new ReentrantReadWriteLock();
  private boolean closed;

  private OnnxScorer(
      OrtEnvironment env,
      OrtSession session,
      String description,
      String inputName,
      int featureCount,
      OutputSelection output,
      Map<String, String> metadata) {
    this.env = env;
    this.session = session;
    this.description = description;
    this.inputName = inputName;
    this.featureCount = featureCount;
    this.requestedOutputs = Set.of(output.outputName());
    this.output = output;
    this.metadata = metadata;
  }

  /**
   * Loads a model, naming it in messages by its ONNX graph name and producer.
   *
   * @throws IllegalArgumentException if the bytes are not a model this scorer can serve
   */
  public static OnnxScorer load(OrtEnvironment env, byte[] modelBytes) {
    return load(env, modelBytes, null);
  }

  /**
   * Loads a model, naming it {@code name} (say {@code "churn v3"}) in messages.
   *
   * @throws IllegalArgumentException if the bytes are not a model this scorer can serve
   */
  public static OnnxScorer load(OrtEnvironment env, byte[] modelBytes, String name) {
    Objects.requireNonNull(env, "env");
    Objects.requireNonNull(modelBytes, "modelBytes");
    String source = name != null ? name : "ONNX model of " + modelBytes.length + " bytes";
    try (SessionOptions options = sessionOptions()) {
      return open(env, env.createSession(modelBytes, options), name, source);
    } catch (OrtException e) {
      throw new IllegalArgumentException("Cannot load " + source + ": " + e.getMessage(), e);
    }
  }

  /**
   * Loads a model from a file, naming it by the file in messages.
   *
   * @throws IllegalArgumentException if the file is not a model this scorer can serve
   */
  public static OnnxScorer load(OrtEnvironment env, Path modelFile) {
    Objects.requireNonNull(env, "env");
    String source = Objects.requireNonNull(modelFile, "modelFile").toString();
    try (SessionOptions options = sessionOptions()) {
      return open(env, env.createSession(source, options), source, source);
    } catch (OrtException e) {
      throw new IllegalArgumentException("Cannot load " + source + ": " + e.getMessage(), e);
    }
  }

  private static SessionOptions sessionOptions() throws OrtException {
    SessionOptions options = new SessionOptions();
    try {
      options.setIntraOpNumThreads(1);
      options.setOptimizationLevel(OptLevel.ALL_OPT);
      return options;
    } catch (OrtException | RuntimeException e) {
      options.close();
      throw e;
    }
  }

  private static OnnxScorer open(OrtEnvironment env, OrtSession session, String name, String source)
      throws OrtException {
    try {
      OnnxModelMetadata model = session.getMetadata();
      String description = name != null ? name : describe(model, source);
      Map<String, NodeInfo> inputs = session.getInputInfo();
      int featureCount = featureCount(inputs, description);
      OutputSelection output = OutputSelection.of(session.getOutputInfo());
      OnnxScorer scorer =
          new OnnxScorer(
              env,
              session,
              description,
              inputs.keySet().iterator().next(),
              featureCount,
              output,
              Map.copyOf(model.getCustomMetadata()));
      scorer.trialRun();
      return scorer;
    } catch (OrtException | RuntimeException e) {
      try {
        session.close();
      } catch (OrtException | RuntimeException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  private static String describe(OnnxModelMetadata model, String source) {
    String graph = model.getGraphName();
    String producer = model.getProducerName();
    if (graph.isEmpty() && producer.isEmpty()) {
      return source;
    }
    return "ONNX model '" + graph + "'" + (producer.isEmpty() ? "" : " by " + producer);
  }

  private static int featureCount(Map<String, NodeInfo> inputs, String description) {
    if (inputs.size() == 1
        && inputs.values().iterator().next().getInfo() instanceof TensorInfo tensor
        && tensor.type == OnnxJavaType.FLOAT
        && tensor.getShape().length == 2
        && tensor.getShape()[0] < 0
        && tensor.getShape()[1] > 0
        && tensor.getShape()[1] <= Integer.MAX_VALUE) {
      return (int) tensor.getShape()[1];
    }
    throw new IllegalArgumentException(
        "Unsupported model input: expected one float tensor [N, F] with a dynamic batch size N"
            + " and a fixed feature count F, got "
            + (inputs.size() == 1 ? "" : inputs.size() + " inputs: ")
            + ValueInfos.describe(inputs)
            + " in "
            + description);
  }

  private void trialRun() {
    try {
      score(new float[featureCount], 1);
    } catch (IllegalStateException | ScoringException e) {
      throw new IllegalArgumentException(
          "Unsupported model: "
              + description
              + " failed a trial run on one row of zeros: "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public int featureCount() {
    return featureCount;
  }

  @Override
  public ModelKind kind() {
    return output.kind();
  }

  /** The name used for this model in messages. */
  public String description() {
    return description;
  }

  /** The model's {@code metadata_props}, such as {@code tessera.feature_names}. */
  public Map<String, String> metadata() {
    return metadata;
  }

  @Override
  public double[] score(float[] features, int rows) {
    Objects.requireNonNull(features, "features");
    if (rows < 0) {
      throw new IllegalArgumentException(
          "Expected a row count >= 0, got " + rows + " (model " + description + ")");
    }
    if (features.length < (long) rows * featureCount) {
      throw new IllegalArgumentException(
          "Expected at least "
              + ((long) rows * featureCount)
              + " feature values for "
              + rows
              + " rows of "
              + featureCount
              + " features, got "
              + features.length
              + " (model "
              + description
              + ")");
    }
    Lock lock = closeLock.readLock();
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("Cannot score with " + description + ": it is closed");
      }
      return rows == 0 ? new double[0] : run(features, rows);
    } finally {
      lock.unlock();
    }
  }

  private double[] run(float[] features, int rows) {
    long[] shape = {rows, featureCount};
    try (OnnxTensor input =
            OnnxTensor.createTensor(
                env, FloatBuffer.wrap(features, 0, rows * featureCount), shape);
        OrtSession.Result result = session.run(Map.of(inputName, input), requestedOutputs)) {
      double[] scores = new double[rows];
      output.adapter().read(result.get(0), rows, scores);
      return scores;
    } catch (OrtException e) {
      throw new ScoringException(
          "Scoring " + rows + " rows failed in " + description + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    Lock lock = closeLock.writeLock();
    lock.lock();
    try {
      if (!closed) {
        closed = true;
        session.close();
      }
    } catch (OrtException e) {
      throw new ScoringException("Closing " + description + " failed: " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "OnnxScorer("
        + description
        + ", "
        + kind()
        + ", "
        + featureCount
        + " features, scores "
        + output.adapter()
        + ")";
  }
}
