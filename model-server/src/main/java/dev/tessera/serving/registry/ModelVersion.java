package dev.tessera.serving.registry;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.tessera.serving.training.TrainingProfile;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One immutable version of a registered model: what was registered, for which feature service, and
 * how its artifact is stored. Once written, a version never changes; aliases point at it.
 *
 * <pre>{@code
 * ModelVersion v = registry.version("churn", 2).orElseThrow();
 * byte[] onnx = registry.artifact("churn", 2); // reassembled, sha256 checked
 * }</pre>
 *
 * @param name the registered model
 * @param version 1, 2, 3... in registration order
 * @param featureService the feature service whose columns are the model's inputs
 * @param inputSignature the ONNX input checked at registration
 * @param artifactSha256 lowercase hex sha256 of the ONNX bytes
 * @param artifactSize the ONNX bytes' length
 * @param chunkCount how many chunk records hold the artifact on the registry topic
 * @param description free text, may be empty
 * @param params training parameters (e.g. copied from a {@code TrainingRun}), sorted by key
 * @param metrics holdout metrics, sorted by key
 * @param dataFrom ISO-8601 start of the training data, or {@code null}
 * @param dataTo ISO-8601 end of the training data, or {@code null}
 * @param source where the artifact came from (a file name, {@code "upload"}), for people
 * @param creationTimestamp epoch milliseconds when it was registered
 * @param trainingProfile the training data's distributions, the drift monitor's reference; {@code
 *     null} for versions not trained through a {@code TrainingRun} (uploaded, bootstrap) and for
 *     records written before profiles existed
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ModelVersion(
    String name,
    int version,
    String featureService,
    InputSignature inputSignature,
    String artifactSha256,
    long artifactSize,
    int chunkCount,
    String description,
    Map<String, String> params,
    Map<String, Double> metrics,
    String dataFrom,
    String dataTo,
    String source,
    long creationTimestamp,
    TrainingProfile trainingProfile) {

  /** A version without a training profile. */
  public ModelVersion(
      String name,
      int version,
      String featureService,
      InputSignature inputSignature,
      String artifactSha256,
      long artifactSize,
      int chunkCount,
      String description,
      Map<String, String> params,
      Map<String, Double> metrics,
      String dataFrom,
      String dataTo,
      String source,
      long creationTimestamp) {
    this(
        name,
        version,
        featureService,
        inputSignature,
        artifactSha256,
        artifactSize,
        chunkCount,
        description,
        params,
        metrics,
        dataFrom,
        dataTo,
        source,
        creationTimestamp,
        null);
  }

  /**
   * Checks and copies the fields.
   *
   * @throws IllegalArgumentException if a name is invalid, the version is below 1, the hash is not
   *     64 hex digits, the sizes are negative, or the data range is not two ISO-8601 instants in
   *     order (or neither)
   */
  @JsonCreator
  public ModelVersion {
    RegistryRecord.checkName(name, "model name");
    if (version < 1) {
      throw new IllegalArgumentException("Version numbers start at 1, got " + version);
    }
    if (featureService == null || featureService.isBlank()) {
      throw new IllegalArgumentException("A model version needs a feature service");
    }
    Objects.requireNonNull(inputSignature, "inputSignature");
    if (artifactSha256 == null || !artifactSha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException(
          "artifact_sha256 must be 64 lowercase hex digits, got " + artifactSha256);
    }
    if (artifactSize < 0 || chunkCount < 0) {
      throw new IllegalArgumentException(
          "Negative artifact size " + artifactSize + " or chunk count " + chunkCount);
    }
    description = Objects.requireNonNullElse(description, "");
    params = Collections.unmodifiableMap(new TreeMap<>(params == null ? Map.of() : params));
    metrics = Collections.unmodifiableMap(new TreeMap<>(metrics == null ? Map.of() : metrics));
    source = Objects.requireNonNullElse(source, "");
    if ((dataFrom == null) != (dataTo == null)
        || (dataFrom != null && instant(dataFrom).isAfter(instant(dataTo)))) {
      throw new IllegalArgumentException(
          "The training data range must be both ends or neither, in order; got "
              + dataFrom
              + " .. "
              + dataTo);
    }
  }

  private static Instant instant(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("Not an ISO-8601 instant: " + text, e);
    }
  }

  /**
   * The model input checked at registration: one float tensor {@code [N, F]} whose {@code F}
   * columns are the feature service's, in order.
   *
   * @param type the ONNX element type, {@code "float"}
   * @param shape {@code [-1, F]}: a dynamic batch and {@code F} features
   * @param columns the feature service's columns ({@code view.column}), {@code F} of them
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record InputSignature(String type, List<Long> shape, List<String> columns) {
    public InputSignature {
      Objects.requireNonNull(type, "type");
      shape = List.copyOf(shape);
      columns = List.copyOf(columns);
    }

    /** A float {@code [N, columns.size()]} input. */
    public static InputSignature floatMatrix(List<String> columns) {
      return new InputSignature("float", List.of(-1L, (long) columns.size()), columns);
    }
  }
}
