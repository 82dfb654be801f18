package dev.tessera.serving.endpoint;

import dev.tessera.features.definition.FeatureService;
import dev.tessera.serving.scoring.Scorer;
import java.util.Objects;

/**
 * A model version loaded for serving: what it is called on an endpoint, which registered model and
 * version it is, the features it consumes and its scorer.
 *
 * @param name served entity name, e.g. churn_model-1
 * @param modelName registered model name
 * @param version registered model version
 * @param features the feature service whose vector the model takes, in order
 * @param scorer scores feature vectors
 */
public record ServedModel(
    String name, String modelName, String version, FeatureService features, Scorer scorer) {

  public ServedModel {
    Objects.requireNonNull(scorer, "scorer");
    Objects.requireNonNull(features, "features");
  }
}
