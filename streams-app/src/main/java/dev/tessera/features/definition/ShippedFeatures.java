package dev.tessera.features.definition;

import dev.tessera.features.definition.file.DefinitionFile;
import dev.tessera.schemas.topic.TopicCatalog;

/**
 * The views and services Tessera ships for its seed use case (customer churn and risk), read from
 * {@value DefinitionFile#SHIPPED_RESOURCE}.
 *
 * <pre>{@code
 * FeatureRegistry registry = ShippedFeatures.registry();
 * FeatureService churnV2 = registry.service("churn_v2").orElseThrow();
 * }</pre>
 */
public final class ShippedFeatures {
  public static final String CUSTOMER_CHURN = "customer_churn";
  public static final String CUSTOMER_RISK = "customer_risk";
  public static final String REGION_ORDERS = "region_orders";
  public static final String CHURN_V1 = "churn_v1";
  public static final String CHURN_V2 = "churn_v2";
  public static final String RISK_V1 = "risk_v1";

  private static final FeatureRegistry REGISTRY =
      DefinitionFile.loadResource(
          DefinitionFile.SHIPPED_RESOURCE, DefinitionFile.eventSchemas(TopicCatalog.defaults()));

  private ShippedFeatures() {}

  public static FeatureRegistry registry() {
    return REGISTRY;
  }

  /** Order counts only; the bootstrap model consumes it. */
  public static FeatureService churnV1() {
    return REGISTRY.service(CHURN_V1).orElseThrow();
  }
}
