package dev.tessera.features.definition;

import static dev.tessera.features.definition.AggregateFeature.count;

import dev.tessera.features.definition.FeatureService.FeatureRef;
import dev.tessera.features.definition.ProfileFeature.Encoding;
import dev.tessera.features.definition.SessionFeature.SessionMetric;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The views and services Tessera ships for its seed use case (customer churn and risk). */
public final class ShippedFeatures {
  public static final String CUSTOMER_CHURN = "customer_churn";
  public static final String CUSTOMER_RISK = "customer_risk";
  public static final String REGION_ORDERS = "region_orders";
  public static final String CHURN_V1 = "churn_v1";

  private ShippedFeatures() {}

  private static AggregateFeature agg(
      String name, String source, Aggregation a, String field, FeatureWindow w) {
    return new AggregateFeature(
        name, source, a, field, null, w, 0.0, a == Aggregation.COUNT_DISTINCT ? 1000 : 0);
  }

  public static FeatureView customerChurn() {
    FeatureWindow d30 = FeatureWindow.sliding(Duration.ofDays(30));
    FeatureWindow life = FeatureWindow.lifetime();
    Duration gap = Duration.ofMinutes(30);
    return FeatureView.builder(CUSTOMER_CHURN, "customer_id")
        .source(EventSource.of("orders", "customer_id", "order_ts"))
        .source(EventSource.of("clicks", "customer_id", "event_ts"))
        .feature(
            new OnDemandFeature(
                "days_since_last_order",
                "days_since",
                Map.of("time", "total_orders.event_time"),
                -1))
        .feature(count("total_orders", "orders", life))
        .feature(agg("lifetime_revenue", "orders", Aggregation.SUM, "order_total", life))
        .feature(agg("avg_order_value", "orders", Aggregation.MEAN, "order_total", life))
        .feature(agg("order_value_stddev", "orders", Aggregation.STDDEV, "order_total", life))
        .feature(
            agg(
                "unique_categories",
                "orders",
                Aggregation.COUNT_DISTINCT,
                "product_category",
                life))
        .feature(count("orders_30d", "orders", d30))
        .feature(
            new SessionFeature(
                "sessions_last_30d", "clicks", SessionMetric.COUNT, gap, Duration.ofDays(30), 0))
        .feature(
            count("page_views_30d", "clicks", d30)
                .where(EventFilter.equalTo("event_type", "page_view")))
        .feature(
            count("cart_adds_30d", "clicks", d30)
                .where(EventFilter.equalTo("event_type", "add_to_cart")))
        .feature(
            new SessionFeature(
                "avg_session_duration",
                "clicks",
                SessionMetric.MEAN_DURATION,
                gap,
                Duration.ofDays(30),
                0))
        .feature(
            new OnDemandFeature(
                "account_age_days", "days_since", Map.of("time", "customer.signup_ts"), -1))
        .feature(
            new ProfileFeature(
                "subscription_tier",
                "subscription_tier",
                Encoding.ORDINAL,
                List.of("free", "basic", "premium"),
                -1))
        .feature(
            new ProfileFeature(
                "region",
                "region",
                Encoding.ONE_HOT,
                List.of("eu-west", "eu-central", "us-east", "us-west", "apac"),
                0))
        .build();
  }

  public static FeatureView customerRisk() {
    return FeatureView.builder(CUSTOMER_RISK, "customer_id")
        .source(EventSource.of("orders", "customer_id", "order_ts"))
        .feature(count("orders_last_1m", "orders", FeatureWindow.sliding(Duration.ofMinutes(1))))
        .feature(count("orders_last_5m", "orders", FeatureWindow.sliding(Duration.ofMinutes(5))))
        .feature(
            new OnDemandFeature(
                "amount_zscore",
                "zscore",
                Map.of(
                    "value",
                    "request.amount",
                    "mean",
                    "customer_churn.avg_order_value",
                    "stddev",
                    "customer_churn.order_value_stddev"),
                0))
        .feature(
            new OnDemandFeature(
                "distance_from_home_km",
                "haversine_km",
                Map.of(
                    "lat",
                    "request.lat",
                    "lon",
                    "request.lon",
                    "home_lat",
                    "customer.home_lat",
                    "home_lon",
                    "customer.home_lon"),
                -1))
        .feature(
            new RelatedFeature(
                "region_avg_order_value_365d", REGION_ORDERS, "avg_order_value_365d", "region", 0))
        .build();
  }

  public static FeatureView regionOrders() {
    return FeatureView.builder(REGION_ORDERS, "region")
        .source(EventSource.viaCustomer("orders", "region", "order_ts"))
        .feature(
            agg(
                "avg_order_value_365d",
                "orders",
                Aggregation.MEAN,
                "order_total",
                FeatureWindow.sliding(Duration.ofDays(365))))
        .build();
  }

  private static FeatureService service(String name, String view, String... features) {
    return new FeatureService(
        name, java.util.Arrays.stream(features).map(f -> new FeatureRef(view, f)).toList());
  }

  /** Order features only. */
  public static FeatureService churnV1() {
    return service(CHURN_V1, CUSTOMER_CHURN, "total_orders", "orders_30d");
  }

  public static FeatureRegistry registry() {
    return new FeatureRegistry(
        List.of(customerChurn(), customerRisk(), regionOrders()),
        List.of(
            churnV1(),
            service(
                "churn_v2",
                CUSTOMER_CHURN,
                customerChurn().features().stream()
                    .map(FeatureDefinition::name)
                    .toArray(String[]::new)),
            service(
                "risk_v1",
                CUSTOMER_RISK,
                customerRisk().features().stream()
                    .map(FeatureDefinition::name)
                    .toArray(String[]::new))));
  }
}
