package dev.tessera.serving.catalog;

import dev.tessera.features.definition.DefinitionsHash;
import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.definition.FeatureView;
import dev.tessera.features.definition.ShippedFeatures;
import dev.tessera.serving.endpoint.EndpointConfig;
import dev.tessera.serving.endpoint.ServedEntity;
import dev.tessera.serving.endpoint.TrafficSplit.Route;
import dev.tessera.serving.registry.ModelVersion;
import dev.tessera.serving.registry.ModelVersion.InputSignature;
import dev.tessera.serving.registry.NewVersion;
import java.util.List;
import java.util.Map;

/**
 * A registry and endpoint snapshot over the shipped definitions: churn v1 (churn_v1, trained with
 * today's definitions), churn v2 (churn_v2, trained with other definitions), risk v1 (risk_v1,
 * uploaded without a hash); endpoint churn serves champion/challenger by alias, 90/10, and endpoint
 * churn-pinned serves churn v2 by version.
 */
public final class CatalogFixtures {
  public static final FeatureRegistry DEFINITIONS = ShippedFeatures.registry();
  public static final String STALE_HASH = "sha256:" + "0".repeat(64);

  private CatalogFixtures() {}

  public static ModelVersion version(String model, int number, String service, String hash) {
    return new ModelVersion(
        model,
        number,
        service,
        InputSignature.floatMatrix(DEFINITIONS.columns(DEFINITIONS.service(service).orElseThrow())),
        "a".repeat(64),
        100,
        1,
        "",
        hash == null ? Map.of() : Map.of(NewVersion.DEFINITIONS_HASH, hash),
        Map.of(),
        null,
        null,
        "upload",
        0L);
  }

  /** The snapshot described above, with churn's champion alias at {@code champion}. */
  public static ServingSnapshot serving(int champion, int championShare) {
    return new ServingSnapshot(
        List.of(
            version("churn", 1, "churn_v1", DefinitionsHash.of(DEFINITIONS, "churn_v1")),
            version("churn", 2, "churn_v2", STALE_HASH),
            version("risk", 1, "risk_v1", null)),
        Map.of("churn", Map.of("champion", champion, "challenger", 2), "risk", Map.of()),
        List.of(
            new EndpointConfig(
                "churn",
                List.of(
                    ServedEntity.ofAlias("champion", "churn", "champion"),
                    ServedEntity.ofAlias("challenger", "churn", "challenger")),
                List.of(
                    new Route("champion", championShare),
                    new Route("challenger", 100 - championShare)),
                "churn"),
            new EndpointConfig(
                "churn-pinned",
                List.of(ServedEntity.ofVersion("v2", "churn", 2)),
                List.of(new Route("v2", 100)),
                "churn-pinned")));
  }

  /** Live figures that name the view, so a test can tell they were asked for the right one. */
  public static ViewFigures figures(FeatureView view) {
    return new ViewFigures(
        ViewFigures.NODE_SCOPE,
        "node-a:8080",
        view.name().length() * 1L,
        42,
        1.5,
        "2026-11-22T10:00:00Z",
        0.25,
        Map.of("orders", 3L));
  }
}
