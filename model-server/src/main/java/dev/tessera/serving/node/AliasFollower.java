package dev.tessera.serving.node;

import ai.onnxruntime.OrtEnvironment;
import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.definition.FeatureService;
import dev.tessera.serving.endpoint.ServedModel;
import dev.tessera.serving.inference.InferenceService;
import dev.tessera.serving.registry.AliasChange;
import dev.tessera.serving.registry.ModelRegistry;
import dev.tessera.serving.registry.ModelVersion;
import dev.tessera.serving.scoring.OnnxScorer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an endpoint serving the version an alias of a registered model points at: loads it at start
 * if the alias exists, and loads and swaps in the new version each time the alias moves, on every
 * node (each follows the registry topic). Requests never fail over it: {@link
 * InferenceService#swap} lets running requests finish on the previous model. A version that cannot
 * be served (its feature service is unknown here, its width does not match) is refused with a log
 * line and the endpoint keeps its current model; so it does when the alias is deleted.
 *
 * <pre>{@code
 * new AliasFollower(registry, features, inference, "churn", "churn", "champion").start();
 * }</pre>
 */
final class AliasFollower {
  private static final Logger log = LoggerFactory.getLogger(AliasFollower.class);
  private final ModelRegistry models;
  private final FeatureRegistry features;
  private final InferenceService inference;
  private final String endpoint;
  private final String model;
  private final String alias;

  AliasFollower(
      ModelRegistry models,
      FeatureRegistry features,
      InferenceService inference,
      String endpoint,
      String model,
      String alias) {
    this.models = models;
    this.features = features;
    this.inference = inference;
    this.endpoint = endpoint;
    this.model = model;
    this.alias = alias;
  }

  void start() {
    models.onAliasChange(this::changed);
    models.versionByAlias(model, alias).ifPresent(v -> serve(v.version()));
  }

  private void changed(AliasChange change) {
    if (!change.model().equals(model) || !change.alias().equals(alias)) {
      return;
    }
    if (change.version() == null) {
      log.warn(
          "Alias {}@{} was deleted; endpoint {} keeps serving {}",
          model,
          alias,
          endpoint,
          inference.served(endpoint).name());
      return;
    }
    serve(change.version());
  }

  private void serve(int version) {
    try {
      ModelVersion v =
          models
              .version(model, version)
              .orElseThrow(() -> new IllegalStateException("no version " + version));
      FeatureService service =
          features
              .service(v.featureService())
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "feature service " + v.featureService() + " is not defined here"));
      var scorer =
          OnnxScorer.load(
              OrtEnvironment.getEnvironment(),
              models.artifact(model, version),
              model + " v" + version);
      var served =
          new ServedModel(model + "-" + version, model, Integer.toString(version), service, scorer);
      try {
        inference.swap(endpoint, served);
      } catch (RuntimeException e) {
        scorer.close();
        throw e;
      }
      log.info("Endpoint {} now serves {} v{} ({}@{})", endpoint, model, version, model, alias);
    } catch (RuntimeException e) {
      log.error(
          "Endpoint {} cannot serve {} v{} ({}@{}): {}; it keeps serving {}",
          endpoint,
          model,
          version,
          model,
          alias,
          e.getMessage(),
          inference.served(endpoint).name());
    }
  }
}
