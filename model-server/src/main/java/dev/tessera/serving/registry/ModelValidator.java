package dev.tessera.serving.registry;

import ai.onnxruntime.OrtEnvironment;
import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.definition.FeatureService;
import dev.tessera.serving.registry.ModelVersion.InputSignature;
import dev.tessera.serving.scoring.OnnxScorer;
import java.util.List;

/**
 * Checks an artifact before it is registered: the feature service exists, the bytes load as a model
 * {@link OnnxScorer} can serve (one float input {@code [N, F]}, a score output), {@code F} equals
 * the service's column count, and one row of zeros scores to a finite number.
 *
 * <pre>{@code
 * var validator = new ModelValidator(features, OrtEnvironment.getEnvironment());
 * InputSignature input = validator.validate("churn_v2", onnx, "churn version 3");
 * }</pre>
 */
public final class ModelValidator {
  private final FeatureRegistry features;
  private final OrtEnvironment env;

  public ModelValidator(FeatureRegistry features, OrtEnvironment env) {
    this.features = features;
    this.env = env;
  }

  /**
   * Validates {@code artifact} for {@code featureService}.
   *
   * @param what names the model in messages, e.g. {@code "churn version 3"}
   * @return the input signature the registry records
   * @throws RegistryException (INVALID) saying what is wrong
   */
  public InputSignature validate(String featureService, byte[] artifact, String what) {
    FeatureService service =
        features
            .service(featureService)
            .orElseThrow(
                () ->
                    RegistryException.invalid(
                        "Unknown feature service '"
                            + featureService
                            + "' for "
                            + what
                            + "; known: "
                            + features.services().stream().map(FeatureService::name).toList()));
    List<String> columns = features.columns(service);
    if (artifact == null || artifact.length == 0) {
      throw RegistryException.invalid("The artifact of " + what + " is empty");
    }
    // load() refuses inputs other than one float [N, F] and runs a row of zeros through the model.
    try (OnnxScorer scorer = OnnxScorer.load(env, artifact, what)) {
      if (scorer.featureCount() != columns.size()) {
        throw RegistryException.invalid(
            "The model input width of "
                + what
                + " is "
                + scorer.featureCount()
                + " but feature service '"
                + featureService
                + "' has "
                + columns.size()
                + " columns "
                + columns);
      }
      double score = scorer.score(new float[columns.size()], 1)[0];
      if (!Double.isFinite(score)) {
        throw RegistryException.invalid(
            "Smoke inference of " + what + " on a row of zeros gave " + score);
      }
    } catch (IllegalArgumentException e) {
      throw new RegistryException(
          RegistryException.Reason.INVALID,
          "Not a servable ONNX model (" + what + "): " + e.getMessage(),
          e);
    } catch (RuntimeException e) {
      if (e instanceof RegistryException) {
        throw e;
      }
      throw new RegistryException(
          RegistryException.Reason.INVALID,
          "Smoke inference of " + what + " failed: " + e.getMessage(),
          e);
    }
    return InputSignature.floatMatrix(columns);
  }
}
