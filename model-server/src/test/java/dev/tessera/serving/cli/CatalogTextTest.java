package dev.tessera.serving.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.serving.catalog.CatalogFixtures;
import dev.tessera.serving.catalog.FeatureCatalog;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The text of {@code tessera features list/describe} from the catalog's own JSON. */
class CatalogTextTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final FeatureCatalog catalog =
      new FeatureCatalog(CatalogFixtures.DEFINITIONS, CatalogFixtures::figures);

  @Test
  void shouldListEachViewWithItsSourcesFiguresAndFeatures() {
    JsonNode body = JSON.valueToTree(Map.of("views", catalog.search(null, "risk")));

    String text = CatalogText.views(body);

    assertThat(text)
        .contains(
            "customer_risk  (entity customer_id, owner risk-ml)  tags: risk, orders, realtime")
        .contains("  Risk signals per customer, scored at order time")
        .contains("  sources: orders (key customer_id, time order_ts); start 2026-01-01T00:00:00Z")
        .contains(
            "  live on node-a:8080: keys held ~13, 1.5 events/s, freshness 0.3 s, dead letters"
                + " orders 3")
        .contains("  5 features: orders_last_1m, orders_last_5m, amount_zscore,")
        .contains("region_orders  (entity region, owner risk-ml)")
        .doesNotContain("customer_churn");
  }

  @Test
  void shouldSayWhenNothingMatches() {
    assertThat(CatalogText.views(JSON.valueToTree(Map.of("views", catalog.search("x", "pii")))))
        .isEqualTo("No feature view matches.\n");
  }

  @Test
  void shouldDescribeFeaturesWithTheirLineage() {
    JsonNode view =
        JSON.valueToTree(
            catalog.describe("customer_churn", CatalogFixtures.serving(1, 90)).orElseThrow());

    String text = CatalogText.view(view);

    assertThat(text)
        .containsPattern("total_orders +aggregate +count +orders +lifetime +double +0\n")
        .contains(
            "      model churn v1 (churn_v1) @champion -> churn/champion 90%\n"
                + "      model churn v2 (churn_v2) @challenger -> churn/challenger 10%,"
                + " churn-pinned/v2 100%\n")
        .containsPattern(
            "days_since_last_order +on_demand +days_since\\(total_orders.event_time\\) +- +-"
                + " +double +-1\n")
        .contains("      reads total_orders.event_time\n")
        .contains("      services: churn_v1, churn_v2\n");
  }
}
