package dev.tessera.features.definition;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FeatureRegistryTest {

  @Test
  void shouldKeepOnlyTheViewsAServiceReadsTransitively() {
    FeatureRegistry shipped = ShippedFeatures.registry();

    assertThat(shipped.forService("churn_v2").views())
        .extracting(FeatureView::name)
        .containsExactly("customer_churn");
    // customer_risk's amount_zscore reads customer_churn, and its region feature region_orders.
    assertThat(shipped.forService("risk_v1").views())
        .extracting(FeatureView::name)
        .containsExactlyInAnyOrder("customer_churn", "customer_risk", "region_orders");
    assertThat(shipped.forService("risk_v1").services())
        .extracting(FeatureService::name)
        .containsExactly("risk_v1");
  }
}
