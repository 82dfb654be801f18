package dev.tessera.features.definition.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.features.definition.AggregateFeature;
import dev.tessera.features.definition.Aggregation;
import dev.tessera.features.definition.EventFilter;
import dev.tessera.features.definition.EventSource;
import dev.tessera.features.definition.FeatureDefinition;
import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.definition.FeatureService.FeatureRef;
import dev.tessera.features.definition.FeatureView;
import dev.tessera.features.definition.FeatureWindow;
import dev.tessera.features.definition.OnDemandFeature;
import dev.tessera.features.definition.ProfileFeature;
import dev.tessera.features.definition.ProfileFeature.Encoding;
import dev.tessera.features.definition.RelatedFeature;
import dev.tessera.features.definition.SessionFeature;
import dev.tessera.features.definition.SessionFeature.SessionMetric;
import dev.tessera.schemas.topic.TopicCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefinitionFileTest {
  private static final Map<String, Schema> SCHEMAS =
      DefinitionFile.eventSchemas(TopicCatalog.defaults());
  private static final String SOURCE = "test.yaml";

  private static FeatureRegistry parse(String text) {
    return DefinitionFile.parse(text, SOURCE, SCHEMAS);
  }

  /**
   * Asserts that {@code text} is rejected with a message starting with {@code test.yaml:<line>:}.
   */
  private static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(
      String text, int line) {
    return assertThatThrownBy(() -> parse(text))
        .isInstanceOf(DefinitionException.class)
        .hasMessageStartingWith(SOURCE + ":" + line + ": ");
  }

  private static FeatureRegistry shipped() {
    return DefinitionFile.loadResource(DefinitionFile.SHIPPED_RESOURCE, SCHEMAS);
  }

  private static List<String> names(FeatureView view) {
    return view.features().stream().map(FeatureDefinition::name).toList();
  }

  private static AggregateFeature aggregate(FeatureView view, String name) {
    return (AggregateFeature) view.feature(name).orElseThrow();
  }

  // ---- the shipped file --------------------------------------------------------------------

  @Test
  void shouldBuildTheEventSchemasOfTheCatalogue() {
    assertThat(SCHEMAS).containsOnlyKeys("orders", "clicks", "customers", "outcomes");
    assertThat(SCHEMAS.get("orders").getName()).isEqualTo("Order");
    assertThat(SCHEMAS.get("customers").getName()).isEqualTo("Customer");
  }

  @Test
  void shouldLoadTheShippedViewsWithTheirSources() {
    FeatureRegistry registry = shipped();

    assertThat(registry.views())
        .extracting(FeatureView::name)
        .containsExactly(
            "customer_churn",
            "customer_risk",
            "region_orders",
            "user_fraud",
            "country_transactions",
            "user_merchant_transactions");
    FeatureView churn = registry.view("customer_churn").orElseThrow();
    assertThat(churn.entity()).isEqualTo("customer_id");
    assertThat(churn.sources())
        .containsExactly(
            EventSource.of("orders", "customer_id", "order_ts"),
            EventSource.of("clicks", "customer_id", "event_ts"));
    // The longest window and its tile: a lookup reads from the tile holding the window's start.
    assertThat(churn.grace()).isEqualTo(Duration.ofDays(30).plusHours(12));
    FeatureView region = registry.view("region_orders").orElseThrow();
    assertThat(region.entity()).isEqualTo("region");
    assertThat(region.sources())
        .containsExactly(EventSource.viaCustomer("orders", "region", "order_ts"));
  }

  @Test
  void shouldLoadTheCatalogMetadataOfTheShippedViews() {
    FeatureRegistry registry = shipped();

    FeatureView churn = registry.view("customer_churn").orElseThrow();
    assertThat(churn.owner()).isEqualTo("growth-ml");
    assertThat(churn.tags()).containsExactly("churn", "orders", "clicks", "profile");
    assertThat(churn.start()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(registry.view("customer_risk").orElseThrow().owner()).isEqualTo("risk-ml");
    assertThat(registry.view("region_orders").orElseThrow().tags()).contains("region");
  }

  @Test
  void shouldReadOwnerTagsAndAStartInstantOrDate() {
    FeatureRegistry registry =
        parse(
            """
            views:
              - name: v
                entity: customer_id
                owner: " growth-ml "
                tags: [churn, pii, eu-only]
                start: 2026-03-01T12:00:00Z
                features:
                  - {name: tier, customer: subscription_tier, encoding: ordinal, categories: [free]}
              - name: w
                entity: customer_id
                start: 2026-03-01
                features:
                  - {name: tier, customer: subscription_tier, encoding: ordinal, categories: [free]}
            """);

    FeatureView v = registry.view("v").orElseThrow();
    assertThat(v.owner()).isEqualTo("growth-ml");
    assertThat(v.tags()).containsExactly("churn", "pii", "eu-only");
    assertThat(v.start()).isEqualTo(Instant.parse("2026-03-01T12:00:00Z"));
    FeatureView w = registry.view("w").orElseThrow();
    assertThat(w.start()).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
    assertThat(w.owner()).isEmpty();
    assertThat(w.tags()).isEmpty();
  }

  @Test
  void shouldNameTheLineOfAnInvalidTag() {
    assertRejected(
            """
            views:
              - name: v
                entity: customer_id
                tags:
                  - churn
                  - Has Space
                features:
                  - {name: tier, customer: subscription_tier, encoding: ordinal, categories: [free]}
            """,
            6)
        .hasMessageContaining("Invalid tag 'Has Space'")
        .hasMessageContaining("in view v");
  }

  @Test
  void shouldNameTheLineOfATagListedTwice() {
    assertRejected(
            """
            views:
              - name: v
                entity: customer_id
                tags:
                  - churn
                  - churn
                features:
                  - {name: tier, customer: subscription_tier, encoding: ordinal, categories: [free]}
            """,
            6)
        .hasMessageContaining("view v lists tag churn twice (first on line 5)");
  }

  @Test
  void shouldRequireTagsToBeAList() {
    assertRejected(
            """
            views:
              - name: v
                entity: customer_id
                tags: churn
                features:
                  - {name: tier, customer: subscription_tier, encoding: ordinal, categories: [free]}
            """,
            4)
        .hasMessageContaining("tags of view v must be a list");
  }

  @Test
  void shouldNameTheLineOfABadStart() {
    assertRejected(
            """
            views:
              - name: v
                entity: customer_id
                start: last tuesday
                features:
                  - {name: tier, customer: subscription_tier, encoding: ordinal, categories: [free]}
            """,
            4)
        .hasMessageContaining(
            "start of view v must be an ISO-8601 instant or date (2026-01-01T00:00:00Z or"
                + " 2026-01-01), got 'last tuesday'");
  }

  @Test
  void shouldLoadTheShippedChurnFeaturesInOrder() {
    FeatureView churn = shipped().view("customer_churn").orElseThrow();

    assertThat(names(churn))
        .containsExactly(
            "days_since_last_order",
            "total_orders",
            "lifetime_revenue",
            "avg_order_value",
            "order_value_stddev",
            "unique_categories",
            "orders_30d",
            "sessions_last_30d",
            "page_views_30d",
            "cart_adds_30d",
            "avg_session_duration",
            "account_age_days",
            "subscription_tier",
            "region");
    assertThat(churn.feature("days_since_last_order").orElseThrow())
        .isEqualTo(
            new OnDemandFeature(
                "days_since_last_order", "days_since(total_orders.event_time)", -1));
    assertThat(aggregate(churn, "total_orders"))
        .isEqualTo(AggregateFeature.count("total_orders", "orders", FeatureWindow.lifetime()));
    assertThat(aggregate(churn, "order_value_stddev").aggregation()).isEqualTo(Aggregation.STDDEV);
    assertThat(aggregate(churn, "unique_categories").distinctExactLimit()).isEqualTo(1000);
    assertThat(aggregate(churn, "orders_30d").window().tile()).isEqualTo(Duration.ofHours(12));
    assertThat(aggregate(churn, "page_views_30d").where())
        .isEqualTo(EventFilter.equalTo("event_type", "page_view"));
    assertThat(aggregate(churn, "cart_adds_30d").where())
        .isEqualTo(EventFilter.equalTo("event_type", "add_to_cart"));
    assertThat(churn.feature("avg_session_duration").orElseThrow())
        .isEqualTo(
            new SessionFeature(
                "avg_session_duration",
                "clicks",
                SessionMetric.MEAN_DURATION,
                Duration.ofMinutes(30),
                Duration.ofDays(30),
                0));
    assertThat(churn.feature("subscription_tier").orElseThrow())
        .isEqualTo(
            new ProfileFeature(
                "subscription_tier",
                "subscription_tier",
                Encoding.ORDINAL,
                List.of("free", "basic", "premium"),
                -1));
    assertThat(churn.feature("region").orElseThrow().columns())
        .containsExactly(
            "region_eu_west",
            "region_eu_central",
            "region_us_east",
            "region_us_west",
            "region_apac");
  }

  @Test
  void shouldLoadTheShippedRiskAndRegionFeatures() {
    FeatureRegistry registry = shipped();
    FeatureView risk = registry.view("customer_risk").orElseThrow();

    assertThat(names(risk))
        .containsExactly(
            "orders_last_1m",
            "orders_last_5m",
            "amount_zscore",
            "distance_from_home_km",
            "region_avg_order_value_365d");
    assertThat(aggregate(risk, "orders_last_1m").window())
        .isEqualTo(FeatureWindow.sliding(Duration.ofMinutes(1), Duration.ofSeconds(1)));
    assertThat(
            ((OnDemandFeature) risk.feature("amount_zscore").orElseThrow())
                .expression()
                .references())
        .containsExactly(
            "request.amount",
            "customer_churn.avg_order_value",
            "customer_churn.order_value_stddev");
    assertThat(risk.feature("distance_from_home_km").orElseThrow().defaultValue()).isEqualTo(-1);
    assertThat(risk.feature("region_avg_order_value_365d").orElseThrow())
        .isEqualTo(
            new RelatedFeature(
                "region_avg_order_value_365d",
                "region_orders",
                "avg_order_value_365d",
                "region",
                0));
    AggregateFeature regionMean =
        aggregate(registry.view("region_orders").orElseThrow(), "avg_order_value_365d");
    assertThat(regionMean.aggregation()).isEqualTo(Aggregation.MEAN);
    assertThat(regionMean.field()).isEqualTo("order_total");
    assertThat(regionMean.window().length()).isEqualTo(Duration.ofDays(365));
  }

  @Test
  void shouldLoadTheShippedServices() {
    FeatureRegistry registry = shipped();

    assertThat(registry.service("churn_v1").orElseThrow().features())
        .containsExactly(
            new FeatureRef("customer_churn", "total_orders"),
            new FeatureRef("customer_churn", "orders_30d"));
    assertThat(registry.service("churn_v2").orElseThrow().features())
        .extracting(FeatureRef::feature)
        .isEqualTo(names(registry.view("customer_churn").orElseThrow()));
    assertThat(registry.columns(registry.service("churn_v2").orElseThrow()))
        .hasSize(18)
        .endsWith(
            "subscription_tier",
            "region_eu_west",
            "region_eu_central",
            "region_us_east",
            "region_us_west",
            "region_apac");
    assertThat(registry.columns(registry.service("risk_v1").orElseThrow()))
        .isEqualTo(names(registry.view("customer_risk").orElseThrow()));
  }

  // ---- reading -----------------------------------------------------------------------------

  @Test
  void shouldReadATabIndentedJsonFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("features.json");
    Files.writeString(
        file,
        """
        {
        \t"views": [{
        \t\t"name": "churn",
        \t\t"entity": "customer_id",
        \t\t"sources": [{"topic": "orders", "key": "customer_id", "time": "order_ts"}],
        \t\t"features": [
        \t\t\t{"name": "total", "source": "orders", "aggregation": "sum",
        \t\t\t "field": "order_total", "window": "7d", "tile": "1d", "default": -1.5}
        \t\t]
        \t}],
        \t"services": [{"name": "s", "features": ["churn.total"]}]
        }
        """);

    FeatureRegistry registry = DefinitionFile.load(file, SCHEMAS);

    assertThat(registry.view("churn").orElseThrow().features())
        .containsExactly(
            new AggregateFeature(
                "total",
                "orders",
                Aggregation.SUM,
                "order_total",
                null,
                FeatureWindow.sliding(Duration.ofDays(7), Duration.ofDays(1)),
                -1.5,
                0));
    assertThat(registry.service("s")).isPresent();
  }

  @Test
  void shouldApplyTheDefaultsOfOptionalKeys() {
    FeatureView view =
        parse(
                """
                views:
                  - name: v
                    entity: customer_id
                    grace: 2h
                    sources:
                      - {topic: orders, key: customer_id, time: order_ts}
                      - {topic: clicks, key: customer_id, time: event_ts}
                    features:
                      - {name: distinct, source: orders, aggregation: count_distinct, field: product_category, window: 1h}
                      - {name: sessions, source: clicks, session: count, window: 1d}
                      - {name: browsing, source: clicks, aggregation: count, window: 1d, where: {event_type: [page_view, search]}}
                      - {name: lat, customer: home_lat}
                """)
            .view("v")
            .orElseThrow();

    AggregateFeature distinct = aggregate(view, "distinct");
    assertThat(distinct.distinctExactLimit())
        .isEqualTo(AggregateFeature.DEFAULT_DISTINCT_EXACT_LIMIT);
    assertThat(distinct.defaultValue()).isZero();
    assertThat(distinct.window().tile()).isEqualTo(Duration.ofMinutes(1));
    assertThat(((SessionFeature) view.feature("sessions").orElseThrow()).gap())
        .isEqualTo(SessionFeature.DEFAULT_GAP);
    assertThat(aggregate(view, "browsing").where())
        .isEqualTo(new EventFilter("event_type", List.of("page_view", "search")));
    assertThat(((ProfileFeature) view.feature("lat").orElseThrow()).encoding())
        .isEqualTo(Encoding.NUMBER);
    assertThat(view.grace()).isEqualTo(Duration.ofHours(2));
  }

  // ---- errors ------------------------------------------------------------------------------

  @Test
  void shouldNameTheLineOfAnUnknownKey() {
    assertRejected(
            """
            views:
              - name: v
                entity: customer_id
                sources:
                  - {topic: orders, key: customer_id, time: order_ts}
                features:
                  - name: total
                    source: orders
                    aggregation: count
                    windw: lifetime
            """,
            10)
        .hasMessageContaining("unknown key 'windw' in feature total of view v")
        .hasMessageContaining("allowed: name, source, aggregation, field, where, window");
  }

  @Test
  void shouldNameTheLineOfAKeyOfAnotherFeatureKind() {
    assertRejected(
            """
            views:
              - name: v
                entity: customer_id
                sources:
                  - {topic: orders, key: customer_id, time: order_ts}
                features:
                  - {name: total, source: orders, aggregation: count, window: 30d}
                  - {name: sessions, source: orders, aggregation: count, gap: 30m, window: 30d}
            """,
            8)
        .hasMessageContaining("unknown key 'gap' in feature sessions of view v, an aggregation")
        .hasMessageContaining("allowed: name, source, aggregation, field, where, window, tile");
  }

  @Test
  void shouldNameTheLineOfAnUnknownTopLevelKey() {
    assertRejected(
            """
            views:
              - name: v
                entity: customer_id
                features:
                  - {name: tier, customer: subscription_tier, encoding: ordinal, categories: [free]}
            servces: []
            """,
            6)
        .hasMessageContaining("unknown key 'servces'")
        .hasMessageContaining("allowed: entities, sources, tables, views, services");
  }

  @Test
  void shouldNameTheLineOfAMissingRequiredKey() {
    assertRejected(
            """
            views:
              - name: v
                features:
                  - {name: tier, customer: subscription_tier, encoding: ordinal, categories: [free]}
            """,
            2)
        .hasMessageContaining("view v lacks required key 'entity'");
  }

  @Test
  void shouldNameTheLineOfABadDuration() {
    assertRejected(
            """
            views:
              - name: v
                entity: customer_id
                sources:
                  - {topic: orders, key: customer_id, time: order_ts}
                features:
                  - name: orders_30d
                    source: orders
                    aggregation: count
                    window: 30 days
            """,
            10)
        .hasMessageContaining("window of feature orders_30d of view v: '30 days'")
        .hasMessageContaining("use lifetime or a whole number and ms, s, m, h or d");
  }

  @Test
  void shouldNameTheLineOfAWindowThatIsNotAWholeNumberOfTiles() {
    assertRejected(
            """
            views:
              - name: v
                entity: customer_id
                sources:
                  - {topic: orders, key: customer_id, time: order_ts}
                features:
                  - name: orders_30d
                    source: orders
                    aggregation: count
                    window: 30d
                    tile: 7h
            """,
            11)
        .hasMessageContaining(
            "feature orders_30d of view v: Window 30d is not a whole number of tiles of 7h");
  }

  @Test
  void shouldRejectATileOfALifetimeWindow() {
    assertRejected(
            """
            views:
              - name: v
                entity: customer_id
                sources:
                  - {topic: orders, key: customer_id, time: order_ts}
                features:
                  - name: total
                    source: orders
                    aggregation: count
                    window: lifetime
                    tile: 1h
            """,
            11)
        .hasMessageContaining("tile is only for sliding windows");
  }

  @Test
  void shouldRejectASessionFeatureOverALifetimeWindow() {
    assertRejected(
            """
            views:
              - name: v
                entity: customer_id
                sources:
                  - {topic: clicks, key: customer_id, time: event_ts}
                features:
                  - name: sessions
                    source: clicks
                    session: count
                    window: lifetime
            """,
            10)
        .hasMessageContaining("a session feature needs a sliding window");
  }

  @Test
  void shouldNameTheLineOfAnUnknownAggregation() {
    assertRejected(
            """
            views:
              - name: v
                entity: customer_id
                sources:
                  - {topic: orders, key: customer_id, time: order_ts}
                features:
                  - {name: total, source: orders, aggregation: count, window: lifetime}
                  - {name: mean_value, source: orders, aggregation: avg, field: order_total, window: lifetime}
            """,
            8)
        .hasMessageContaining("unknown aggregation 'avg' in feature mean_value of view v")
        .hasMessageContaining(
            "expected one of count, sum, mean, min, max, stddev, last, count_distinct");
  }

  @Test
  void shouldRequireANumericFieldForSum() {
    assertRejected(
            """
            views:
              - name: v
                entity: customer_id
                sources:
                  - {topic: orders, key: customer_id, time: order_ts}
                features:
                  - name: category_sum
                    source: orders
                    aggregation: sum
                    field: product_category
                    window: lifetime
            """,
            10)
        .hasMessageContaining("sum needs a numeric field")
        .hasMessageContaining("orders.product_category is a string");
  }

  @Test
  void shouldAcceptANullableNumericFieldForLast() {
    FeatureRegistry registry =
        parse(
            """
            views:
              - name: v
                entity: customer_id
                sources:
                  - {topic: orders, key: customer_id, time: order_ts}
                features:
                  - {name: last_lat, source: orders, aggregation: last, field: lat, window: 1d}
            """);

    assertThat(aggregate(registry.view("v").orElseThrow(), "last_lat").field()).isEqualTo("lat");
  }

  @Test
  void shouldNameTheLineOfAnUnknownField() {
    assertRejected(
            """
            views:
              - name: v
                entity: customer_id
                sources:
                  - {topic: orders, key: customer_id, time: order_ts}
                features:
                  - name: revenue
                    source: orders
                    aggregation: sum
                    field: order_totl
                    window: lifetime
            """,
            10)
        .hasMessageContaining("unknown field 'order_totl': topic orders (Order) has order_id,");
  }

  @Test
  void shouldRequireAStringFieldInAFilter() {
    assertRejected(
            """
            views:
              - name: v
                entity: customer_id
                sources:
                  - {topic: orders, key: customer_id, time: order_ts}
                features:
                  - name: big_orders
                    source: orders
                    aggregation: count
                    window: lifetime
                    where:
                      order_total: 100
            """,
            12)
        .hasMessageContaining("where of feature big_orders of view v compares strings")
        .hasMessageContaining("orders.order_total is a double");
  }

  @Test
  void shouldNameTheLineOfAnUnknownTopic() {
    assertRejected(
            """
            views:
              - name: v
                entity: customer_id
                sources:
                  - topic: payments
                    key: customer_id
                    time: ts
                features:
                  - {name: total, source: payments, aggregation: count, window: lifetime}
            """,
            5)
        .hasMessageContaining(
            "unknown topic 'payments' in view v; known topics: clicks, customers, orders, outcomes");
  }

  @Test
  void shouldRequireATimestampTimeField() {
    assertRejected(
            """
            views:
              - name: v
                entity: customer_id
                sources:
                  - {topic: orders, key: customer_id, time: order_total}
                features:
                  - {name: total, source: orders, aggregation: count, window: lifetime}
            """,
            5)
        .hasMessageContaining("time field orders.order_total is a double")
        .hasMessageContaining("must be a timestamp-millis long");
  }

  @Test
  void shouldRequireCustomerKeysToBeCustomerFields() {
    assertRejected(
            """
            views:
              - name: by_country
                entity: country
                sources:
                  - {topic: orders, key: customer.country, time: order_ts}
                features:
                  - {name: total, source: orders, aggregation: count, window: lifetime}
            """,
            5)
        .hasMessageContaining("unknown field 'country': topic customers (Customer) has");
  }

  @Test
  void shouldRejectASourceTheViewDoesNotDeclare() {
    assertRejected(
            """
            views:
              - name: v
                entity: customer_id
                sources:
                  - {topic: orders, key: customer_id, time: order_ts}
                features:
                  - {name: views, source: clicks, aggregation: count, window: lifetime}
            """,
            7)
        .hasMessageContaining(
            "reads source 'clicks', which view v does not declare; declared: orders");
  }

  @Test
  void shouldRejectTwoKindsInOneFeature() {
    assertRejected(
            """
            views:
              - name: v
                entity: customer_id
                sources:
                  - {topic: clicks, key: customer_id, time: event_ts}
                features:
                  - name: sessions
                    source: clicks
                    aggregation: count
                    session: count
                    window: 30d
            """,
            10)
        .hasMessageContaining("feature sessions of view v declares both aggregation and session")
        .hasMessageContaining(
            "exactly one of aggregation, session, on_demand, customer, attribute, related");
  }

  @Test
  void shouldRejectAFeatureOfNoKind() {
    assertRejected(
            """
            views:
              - name: v
                entity: customer_id
                features:
                  - {name: nothing, default: 1}
            """,
            5)
        .hasMessageContaining(
            "feature nothing of view v needs one of aggregation, session, on_demand, customer,"
                + " attribute, related");
  }

  @Test
  void shouldNameTheLineOfAnUnknownOnDemandFunction() {
    assertRejected(
            """
            views:
              - name: v
                entity: customer_id
                features:
                  - name: age
                    on_demand: days_between
                    args: {time: customer.signup_ts}
            """,
            6)
        .hasMessageContaining("unknown on-demand function 'days_between'")
        .hasMessageContaining("known: days_since, haversine_km, zscore");
  }

  @Test
  void shouldNameTheFileLineAndColumnOfABadExpression() {
    assertRejected(
            """
            views:
              - name: v
                entity: customer_id
                sources:
                  - {topic: orders, key: customer_id, time: order_ts}
                features:
                  - {name: total, source: orders, aggregation: count, window: lifetime}
                  - name: busy
                    on_demand: |
                      if(total > 3,
                         1 +, 0)
            """,
            11)
        .hasMessageContaining(
            "expression of feature busy of view v, column 7 of its line 2: unexpected ',' where a"
                + " value is expected");
  }

  @Test
  void shouldRejectAnExpressionReadingSomethingTheViewDoesNotHave() {
    assertRejected(
            """
            views:
              - name: v
                entity: customer_id
                sources:
                  - {topic: orders, key: customer_id, time: order_ts}
                features:
                  - {name: total, source: orders, aggregation: count, window: lifetime}
                  - {name: per_day, on_demand: "total / max(days_since(customer.signup_ts), totl)"}
            """,
            8)
        .hasMessageContaining(
            "expression of feature per_day of view v: 'totl' is not a feature of view v");
  }

  @Test
  void shouldRejectAnUnknownArgument() {
    assertRejected(
            """
            views:
              - name: v
                entity: customer_id
                features:
                  - name: age
                    on_demand: days_since
                    args:
                      time: customer.signup_ts
                      now: request.now
            """,
            9)
        .hasMessageContaining(
            "unknown argument 'now' of days_since(time) in feature age of view v");
  }

  @Test
  void shouldRejectAMissingArgument() {
    assertRejected(
            """
            views:
              - name: v
                entity: customer_id
                features:
                  - name: distance
                    on_demand: haversine_km
                    args: {lat: request.lat, lon: request.lon, home_lat: customer.home_lat}
            """,
            7)
        .hasMessageContaining(
            "missing argument 'home_lon' of haversine_km(lat, lon, home_lat, home_lon)");
  }

  @Test
  void shouldRejectAnArgumentThatReadsAStringCustomerField() {
    assertRejected(
            """
            views:
              - name: v
                entity: customer_id
                features:
                  - {name: age, on_demand: days_since, args: {time: customer.region}}
            """,
            5)
        .hasMessageContaining(
            "argument time of feature age of view v: customer.region is a string");
  }

  @Test
  void shouldRejectAnArgumentThatIsNotAStoredFeature() {
    assertRejected(
            """
            views:
              - name: v
                entity: customer_id
                features:
                  - {name: tier, customer: subscription_tier, encoding: ordinal, categories: [free]}
                  - {name: z, on_demand: zscore, args: {value: request.amount, mean: tier, stddev: tier}}
            """,
            6)
        .hasMessageContaining("argument mean of feature z of view v: tier is a customer feature")
        .hasMessageContaining("arguments read stored (aggregation or session) features");
  }

  @Test
  void shouldRejectAnArgumentReadingAViewOfAnotherEntity() {
    assertRejected(
            """
            views:
              - name: v
                entity: customer_id
                features:
                  - name: z
                    on_demand: zscore
                    args:
                      value: request.amount
                      mean: region_orders.avg_value
                      stddev: region_orders.avg_value
              - name: region_orders
                entity: region
                sources:
                  - {topic: orders, key: customer.region, time: order_ts}
                features:
                  - {name: avg_value, source: orders, aggregation: mean, field: order_total, window: 30d}
            """,
            9)
        .hasMessageContaining("view region_orders is keyed by region, not by customer_id");
  }

  @Test
  void shouldRejectAnArgumentNamingNothing() {
    assertRejected(
            """
            views:
              - name: v
                entity: customer_id
                sources:
                  - {topic: orders, key: customer_id, time: order_ts}
                features:
                  - {name: total, source: orders, aggregation: count, window: lifetime}
                  - {name: recency, on_demand: days_since, args: {time: totl.event_time}}
            """,
            8)
        .hasMessageContaining(
            "'totl.event_time' names neither a feature of view v nor a declared view");
  }

  @Test
  void shouldRejectAnUnknownRelatedView() {
    assertRejected(
            """
            views:
              - name: v
                entity: customer_id
                features:
                  - name: region_value
                    related:
                      view: region_order
                      feature: avg_value
                      via: region
            """,
            7)
        .hasMessageContaining(
            "related of feature region_value of view v: unknown view 'region_order'");
  }

  @Test
  void shouldRequireAStringFieldForAnOrdinalEncoding() {
    assertRejected(
            """
            views:
              - name: v
                entity: customer_id
                features:
                  - name: lat_band
                    customer: home_lat
                    encoding: ordinal
                    categories: [south, north]
            """,
            6)
        .hasMessageContaining(
            "ordinal needs a string field; customer.home_lat is a nullable double");
  }

  @Test
  void shouldRejectANumberEncodingOfAStringField() {
    assertRejected(
            """
            views:
              - name: v
                entity: customer_id
                features:
                  - {name: tier, customer: subscription_tier}
            """,
            5)
        .hasMessageContaining("the number encoding needs a numeric field");
  }

  @Test
  void shouldRejectExactUpToOutsideCountDistinct() {
    assertRejected(
            """
            views:
              - name: v
                entity: customer_id
                sources:
                  - {topic: orders, key: customer_id, time: order_ts}
                features:
                  - name: total
                    source: orders
                    aggregation: count
                    window: lifetime
                    exact_up_to: 100
            """,
            11)
        .hasMessageContaining("exact_up_to is only for count_distinct, not count");
  }

  @Test
  void shouldRejectADefaultThatIsNotANumber() {
    assertRejected(
            """
            views:
              - name: v
                entity: customer_id
                sources:
                  - {topic: orders, key: customer_id, time: order_ts}
                features:
                  - name: total
                    source: orders
                    aggregation: count
                    window: lifetime
                    default: none
            """,
            11)
        .hasMessageContaining("default of feature total of view v must be a number, got 'none'");
  }

  @Test
  void shouldNameTheLineOfAnUnknownServiceFeature() {
    assertRejected(
            """
            views:
              - name: v
                entity: customer_id
                sources:
                  - {topic: orders, key: customer_id, time: order_ts}
                features:
                  - {name: total, source: orders, aggregation: count, window: lifetime}
            services:
              - name: s
                features:
                  - v.total
                  - v.totl
            """,
            12)
        .hasMessageContaining("service s names unknown feature v.totl")
        .hasMessageContaining("view v has no feature 'totl'; its features: total");
  }

  @Test
  void shouldNameTheLineOfADuplicateFeature() {
    assertRejected(
            """
            views:
              - name: v
                entity: customer_id
                sources:
                  - {topic: orders, key: customer_id, time: order_ts}
                features:
                  - {name: total, source: orders, aggregation: count, window: lifetime}
                  - {name: total, source: orders, aggregation: count, window: 30d}
            """,
            8)
        .hasMessageContaining("view v declares feature total twice (first on line 7)");
  }

  @Test
  void shouldNameTheLineOfADuplicateKey() {
    assertRejected(
            """
            views:
              - name: v
                entity: customer_id
                entity: region
                features:
                  - {name: tier, customer: subscription_tier, encoding: ordinal, categories: [free]}
            """,
            4)
        .hasMessageContaining("duplicate key 'entity' (first on line 3)");
  }

  @Test
  void shouldNameTheLineOfAnInvalidName() {
    assertRejected(
            """
            views:
              - name: v
                entity: customer_id
                sources:
                  - {topic: orders, key: customer_id, time: order_ts}
                features:
                  - {name: Orders-30d, source: orders, aggregation: count, window: 30d}
            """,
            7)
        .hasMessageContaining("Invalid feature name 'Orders-30d'");
  }

  @Test
  void shouldRejectAViewWithNoFeatures() {
    assertRejected(
            """
            views:
              - name: v
                entity: customer_id
                sources:
                  - {topic: orders, key: customer_id, time: order_ts}
                features: []
            """,
            6)
        .hasMessageContaining("view v declares no features");
  }

  @Test
  void shouldNameTheLineOfAYamlSyntaxError() {
    assertRejected(
            """
            views:
              - name: v
                entity: customer_id
                features:
                  - {name: tier, customer: subscription_tier, encoding: ordinal, categories: [free}
            """,
            5)
        .hasMessageContaining("YAML syntax error:");
  }

  @Test
  void shouldNameTheLineOfAJsonSyntaxError() {
    assertThatThrownBy(
            () ->
                DefinitionFile.parse(
                    """
                    {"views": [
                      {"name": "v",
                       "entity": "customer_id"
                       "features": []}
                    ]}
                    """,
                    "features.json",
                    SCHEMAS))
        .isInstanceOf(DefinitionException.class)
        .hasMessageStartingWith("features.json:4: JSON syntax error:");
  }

  @Test
  void shouldRejectAnEmptyFile() {
    assertRejected("# nothing yet\n", 1).hasMessageContaining("the file is empty");
  }

  @Test
  void shouldExposeTheLocationOfTheProblem() {
    assertThatThrownBy(() -> parse("views: []\n"))
        .isInstanceOfSatisfying(
            DefinitionException.class,
            e -> {
              assertThat(e.sourceName()).isEqualTo(SOURCE);
              assertThat(e.line()).isEqualTo(1);
              assertThat(e.problem()).isEqualTo("views lists no view");
            });
  }
}
