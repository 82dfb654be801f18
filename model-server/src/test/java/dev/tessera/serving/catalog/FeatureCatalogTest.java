package dev.tessera.serving.catalog;

import static dev.tessera.serving.catalog.CatalogFixtures.DEFINITIONS;
import static dev.tessera.serving.catalog.CatalogFixtures.STALE_HASH;
import static dev.tessera.serving.catalog.CatalogFixtures.serving;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.features.definition.DefinitionsHash;
import dev.tessera.features.definition.FeatureDefinition;
import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.definition.FeatureView;
import dev.tessera.serving.catalog.Entries.EndpointUse;
import dev.tessera.serving.catalog.Entries.FeatureEntry;
import dev.tessera.serving.catalog.Entries.SourceEntry;
import dev.tessera.serving.catalog.Entries.VersionLineage;
import dev.tessera.serving.catalog.Entries.VersionUse;
import dev.tessera.serving.catalog.Entries.ViewEntry;
import dev.tessera.serving.drift.DriftStatus;
import dev.tessera.serving.drift.FeatureDrift;
import dev.tessera.serving.drift.ModelDrift;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeatureCatalogTest {
  private final FeatureCatalog catalog = new FeatureCatalog(DEFINITIONS, CatalogFixtures::figures);

  private static FeatureEntry feature(ViewEntry view, String name) {
    return view.features().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
  }

  private static List<String> names(List<ViewEntry> views) {
    return views.stream().map(ViewEntry::name).toList();
  }

  @Test
  void shouldListEveryViewAsTheDefinitionsDeclareIt() {
    List<ViewEntry> views = catalog.search(null, null);

    assertThat(names(views))
        .containsExactlyElementsOf(DEFINITIONS.views().stream().map(FeatureView::name).toList());
    for (ViewEntry entry : views) {
      FeatureView view = DEFINITIONS.view(entry.name()).orElseThrow();
      assertThat(entry.entity()).isEqualTo(view.entity());
      assertThat(entry.description()).isEqualTo(view.description());
      assertThat(entry.owner()).isEqualTo(view.owner());
      assertThat(entry.tags()).isEqualTo(view.tags());
      assertThat(entry.start()).isEqualTo(view.start().toString());
      assertThat(entry.features().stream().map(FeatureEntry::name))
          .containsExactlyElementsOf(
              view.features().stream().map(FeatureDefinition::name).toList());
      for (FeatureEntry f : entry.features()) {
        FeatureDefinition d = view.feature(f.name()).orElseThrow();
        assertThat(f.defaultValue()).isEqualTo(d.defaultValue());
        assertThat(f.columns()).isEqualTo(d.columns());
        assertThat(f.type()).isEqualTo("double");
        assertThat(f.services()).as("lineage only when described").isNull();
      }
      assertThat(entry.live()).isEqualTo(CatalogFixtures.figures(view));
    }
  }

  @Test
  void shouldShowEachKindOfFeature() {
    ViewEntry churn = catalog.search("customer_churn", null).get(0);

    assertThat(churn.sources())
        .containsExactly(
            new SourceEntry("orders", "customer_id", "order_ts"),
            new SourceEntry("clicks", "customer_id", "event_ts"));
    FeatureEntry total = feature(churn, "total_orders");
    assertThat(List.of(total.kind(), total.aggregation(), total.source(), total.window()))
        .containsExactly("aggregate", "count", "orders", "lifetime");
    FeatureEntry orders30d = feature(churn, "orders_30d");
    assertThat(List.of(orders30d.window(), orders30d.tile())).containsExactly("30d", "12h");
    assertThat(feature(churn, "page_views_30d").filter()).isEqualTo("event_type in [page_view]");
    FeatureEntry sessions = feature(churn, "sessions_last_30d");
    assertThat(List.of(sessions.kind(), sessions.aggregation(), sessions.source()))
        .containsExactly("session", "count", "clicks");
    FeatureEntry days = feature(churn, "days_since_last_order");
    assertThat(List.of(days.kind(), days.aggregation(), days.reads()))
        .containsExactly(
            "on_demand", "days_since(total_orders.event_time)", "total_orders.event_time");
    assertThat(days.defaultValue()).isEqualTo(-1);
    FeatureEntry region = feature(churn, "region");
    assertThat(List.of(region.kind(), region.aggregation(), region.field()))
        .containsExactly("customer", "one_hot", "region");
    assertThat(region.columns()).hasSize(5).contains("region_eu_west");
    FeatureEntry related =
        feature(catalog.search("customer_risk", null).get(0), "region_avg_order_value_365d");
    assertThat(List.of(related.kind(), related.reads()))
        .containsExactly("related", "region_orders.avg_order_value_365d via customer.region");
    assertThat(catalog.search("region_orders", null).get(0).sources())
        .containsExactly(new SourceEntry("orders", "customer.region", "order_ts"));
  }

  @Test
  void shouldSearchNameAndDescriptionIgnoringCaseAndTagsExactly() {
    assertThat(names(catalog.search("CHURN", null))).containsExactly("customer_churn");
    assertThat(names(catalog.search("sales region", null))).containsExactly("region_orders");
    assertThat(names(catalog.search(" ", null))).hasSize(6);
    assertThat(names(catalog.search(null, "risk")))
        .containsExactly("customer_risk", "region_orders");
    assertThat(names(catalog.search("order time", "risk"))).containsExactly("customer_risk");
    assertThat(catalog.search(null, "ris")).isEmpty();
    assertThat(catalog.search(null, "pii")).isEmpty();
    assertThat(names(catalog.search("fraud", null))).containsExactly("user_fraud");
    assertThat(catalog.search("phishing", null)).isEmpty();
  }

  @Test
  void shouldTraceAFeatureToServicesVersionsAliasesAndEndpoints() {
    ViewEntry churn = catalog.describe("customer_churn", serving(1, 90)).orElseThrow();

    FeatureEntry total = feature(churn, "total_orders");
    assertThat(total.services()).containsExactly("churn_v1", "churn_v2");
    assertThat(total.modelVersions())
        .containsExactly(
            new VersionUse(
                "churn",
                1,
                "churn_v1",
                List.of("champion"),
                List.of(new EndpointUse("churn", "champion", "champion", 90, false))),
            new VersionUse(
                "churn",
                2,
                "churn_v2",
                List.of("challenger"),
                List.of(
                    new EndpointUse("churn", "challenger", "challenger", 10, false),
                    new EndpointUse("churn-pinned", "v2", null, 100, false))));
    FeatureEntry pageViews = feature(churn, "page_views_30d");
    assertThat(pageViews.services()).containsExactly("churn_v2");
    assertThat(pageViews.modelVersions()).extracting(VersionUse::version).containsExactly(2);
    ViewEntry region = catalog.describe("region_orders", serving(1, 90)).orElseThrow();
    assertThat(feature(region, "avg_order_value_365d").services()).isEmpty();
    assertThat(feature(region, "avg_order_value_365d").modelVersions()).isEmpty();
  }

  @Test
  void shouldShowTheDriftOfAVersionForTheFeatureAndInItsLineage() {
    var alert = new FeatureDrift("customer_churn.total_orders", 0.61, 0.0, 0.01, DriftStatus.ALERT);
    var ok = new FeatureDrift("customer_churn.page_views_30d", 0.02, 0.0, 0.0, DriftStatus.OK);
    var drift =
        new ModelDrift(
            "churn",
            "2",
            DriftStatus.ALERT,
            Instant.parse("2026-11-22T10:00:00Z"),
            Instant.parse("2026-11-22T09:00:00Z"),
            Instant.parse("2026-11-22T10:00:00Z"),
            900,
            0.05,
            DriftStatus.OK,
            List.of(alert, ok));
    ServingSnapshot base = serving(1, 90);
    var withDrift =
        new ServingSnapshot(
            base.versions(), base.aliases(), base.endpoints(), Map.of("churn/2", drift));
    ViewEntry churn = catalog.describe("customer_churn", withDrift).orElseThrow();

    VersionUse v2 = feature(churn, "total_orders").modelVersions().get(1);
    assertThat(v2.drift().status()).isEqualTo("alert");
    assertThat(v2.drift().rows()).isEqualTo(900);
    assertThat(v2.drift().columns()).containsExactly(alert);
    assertThat(feature(churn, "page_views_30d").modelVersions().get(0).drift().columns())
        .containsExactly(ok);
    assertThat(feature(churn, "total_orders").modelVersions().get(0).drift()).isNull();
    assertThat(catalog.lineage("churn", 2, withDrift).orElseThrow().drift().columns())
        .containsExactly(alert, ok);
  }

  @Test
  void shouldMoveLineageWithTheChampionAliasAfterAPromotion() {
    ViewEntry churn = catalog.describe("customer_churn", serving(2, 100)).orElseThrow();

    List<VersionUse> uses = feature(churn, "total_orders").modelVersions();
    assertThat(uses.get(0).aliases()).isEmpty();
    assertThat(uses.get(0).endpoints()).isEmpty();
    assertThat(uses.get(1).aliases()).containsExactly("challenger", "champion");
    assertThat(uses.get(1).endpoints())
        .containsExactly(
            new EndpointUse("churn", "champion", "champion", 100, false),
            new EndpointUse("churn", "challenger", "challenger", 0, false),
            new EndpointUse("churn-pinned", "v2", null, 100, false));
    assertThat(catalog.lineage("churn", 1, serving(2, 100)).orElseThrow().endpoints()).isEmpty();
  }

  @Test
  void shouldGiveNoSkewWarningWhenTheVersionWasTrainedWithTheLiveDefinitions() {
    VersionLineage v1 = catalog.lineage("churn", 1, serving(1, 90)).orElseThrow();

    String live = DefinitionsHash.of(DEFINITIONS, "churn_v1");
    assertThat(v1.features())
        .containsExactly("customer_churn.total_orders", "customer_churn.orders_30d");
    assertThat(v1.definitionsHash()).isEqualTo(live);
    assertThat(v1.liveDefinitionsHash()).isEqualTo(live);
    assertThat(v1.skewWarning()).isNull();
    assertThat(v1.aliases()).containsExactly("champion");
  }

  @Test
  void shouldWarnWhenTheLiveDefinitionsDifferFromTheTrainedOnes() {
    VersionLineage v2 = catalog.lineage("churn", 2, serving(1, 90)).orElseThrow();

    assertThat(v2.definitionsHash()).isEqualTo(STALE_HASH);
    assertThat(v2.liveDefinitionsHash()).isEqualTo(DefinitionsHash.of(DEFINITIONS, "churn_v2"));
    assertThat(v2.skewWarning())
        .contains("churn v2 was trained with definitions " + STALE_HASH)
        .contains(v2.liveDefinitionsHash())
        .contains("training/serving skew");
  }

  @Test
  void shouldSayTheSkewIsUnknownForAVersionRegisteredWithoutAHash() {
    VersionLineage risk = catalog.lineage("risk", 1, serving(1, 90)).orElseThrow();

    assertThat(risk.definitionsHash()).isNull();
    assertThat(risk.skewWarning()).startsWith("Unknown: risk v1 was registered without");
    assertThat(risk.endpoints()).isEmpty();
  }

  @Test
  void shouldWarnWhenTheNodeDoesNotDefineTheVersionsService() {
    var snapshot =
        new ServingSnapshot(
            List.of(CatalogFixtures.version("churn", 1, "churn_v1", STALE_HASH)),
            Map.of(),
            List.of());
    var otherDefinitions = new FeatureRegistry(DEFINITIONS.views(), List.of());

    VersionLineage v1 =
        new FeatureCatalog(otherDefinitions, CatalogFixtures::figures)
            .lineage("churn", 1, snapshot)
            .orElseThrow();

    assertThat(v1.liveDefinitionsHash()).isNull();
    assertThat(v1.features()).isEmpty();
    assertThat(v1.skewWarning()).contains("churn_v1 of churn v1 is not defined on this node");
  }

  @Test
  void shouldFindNothingForAnUnknownViewOrVersion() {
    assertThat(catalog.describe("customer_fraud", serving(1, 90))).isEmpty();
    assertThat(catalog.lineage("churn", 9, serving(1, 90))).isEmpty();
    assertThat(catalog.lineage("fraud", 1, serving(1, 90))).isEmpty();
    assertThat(FeatureCatalog.versionsOf("churn", serving(1, 90))).containsExactly(1, 2);
  }
}
