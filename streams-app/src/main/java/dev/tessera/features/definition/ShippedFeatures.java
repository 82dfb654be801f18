package dev.tessera.features.definition;

import static dev.tessera.features.definition.FeatureDefinition.count;

import dev.tessera.features.definition.FeatureService.FeatureRef;
import java.time.Duration;
import java.util.List;

/**
 * The views and services Tessera ships for its seed use case (customer churn).
 *
 * <p>{@code customer_churn} currently holds the order counts; it grows into the full churn view.
 */
public final class ShippedFeatures {
  public static final String CUSTOMER_CHURN = "customer_churn";
  public static final String CHURN_V1 = "churn_v1";

  private ShippedFeatures() {}

  public static FeatureView customerChurn() {
    return FeatureView.builder(CUSTOMER_CHURN)
        .source("orders", "customer_id", "order_ts")
        .feature(count("total_orders", FeatureWindow.lifetime()))
        .feature(count("orders_30d", FeatureWindow.sliding(Duration.ofDays(30))))
        .build();
  }

  /** Order features only. */
  public static FeatureService churnV1() {
    return new FeatureService(
        CHURN_V1,
        List.of(
            new FeatureRef(CUSTOMER_CHURN, "total_orders"),
            new FeatureRef(CUSTOMER_CHURN, "orders_30d")));
  }

  public static FeatureRegistry registry() {
    return new FeatureRegistry(List.of(customerChurn()), List.of(churnV1()));
  }
}
