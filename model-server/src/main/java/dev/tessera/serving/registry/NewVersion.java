package dev.tessera.serving.registry;

import dev.tessera.serving.training.ClassifierMetrics;
import dev.tessera.serving.training.TrainingProfile;
import dev.tessera.serving.training.TrainingRun;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A request to register a version; the registry assigns the number.
 *
 * <pre>{@code
 * new NewVersion("churn", "churn_v2", onnx, "xgboost, 200 trees", params, metrics,
 *     "2026-01-01T00:00:00Z", "2026-06-01T00:00:00Z", "model.onnx", true);
 * }</pre>
 *
 * @param name the registered model
 * @param featureService whose columns the model reads
 * @param artifact the ONNX bytes
 * @param description free text, may be null
 * @param params training parameters, may be null
 * @param metrics holdout metrics, may be null
 * @param dataFrom ISO-8601 start of the training data, or null
 * @param dataTo ISO-8601 end of the training data, or null
 * @param source where the artifact came from, for people; may be null
 * @param createModelIfAbsent create the registered model too (the CLI does; MLflow's REST call
 *     refuses an unknown model)
 * @param trainingProfile the training data's distributions (from the {@code TrainingRun}), kept
 *     with the version as the drift monitor's reference; may be null
 */
public record NewVersion(
    String name,
    String featureService,
    byte[] artifact,
    String description,
    Map<String, String> params,
    Map<String, Double> metrics,
    String dataFrom,
    String dataTo,
    String source,
    boolean createModelIfAbsent,
    TrainingProfile trainingProfile) {
  public NewVersion {
    Objects.requireNonNull(artifact, "artifact");
  }

  /** A request without a training profile (an uploaded model). */
  public NewVersion(
      String name,
      String featureService,
      byte[] artifact,
      String description,
      Map<String, String> params,
      Map<String, Double> metrics,
      String dataFrom,
      String dataTo,
      String source,
      boolean createModelIfAbsent) {
    this(
        name,
        featureService,
        artifact,
        description,
        params,
        metrics,
        dataFrom,
        dataTo,
        source,
        createModelIfAbsent,
        null);
  }

  /**
   * The {@link ModelVersion#params()} key holding the definitions hash a version was trained with
   * ({@code TrainingRun.definitionsHash()}); versions registered without a run have none.
   */
  public static final String DEFINITIONS_HASH = "definitions_hash";

  /**
   * A version of a trained model: the run's params, holdout metrics and data range are copied in
   * ({@code run} may be null), and its definitions hash as the param {@value #DEFINITIONS_HASH};
   * the model is created if it is new.
   */
  public static NewVersion trained(
      String name,
      String featureService,
      byte[] artifact,
      String description,
      TrainingRun run,
      String source) {
    return new NewVersion(
        name,
        featureService,
        artifact,
        description,
        run == null ? Map.of() : paramsOf(run),
        run == null ? Map.of() : metrics(run.holdoutMetrics()),
        run == null || run.dataFrom() == null ? null : run.dataFrom().toString(),
        run == null || run.dataTo() == null ? null : run.dataTo().toString(),
        source,
        true,
        run == null ? null : run.trainingProfile());
  }

  private static Map<String, String> paramsOf(TrainingRun run) {
    var params = new LinkedHashMap<>(run.params());
    params.put(DEFINITIONS_HASH, run.definitionsHash());
    return params;
  }

  private static Map<String, Double> metrics(ClassifierMetrics m) {
    var metrics = new LinkedHashMap<String, Double>();
    metrics.put("auc", m.auc());
    metrics.put("log_loss", m.logLoss());
    metrics.put("precision", m.precision());
    metrics.put("recall", m.recall());
    metrics.put("accuracy", m.accuracy());
    metrics.put("threshold", m.threshold());
    metrics.put("rows", (double) m.rows());
    metrics.put("positives", (double) m.positives());
    return metrics;
  }
}
