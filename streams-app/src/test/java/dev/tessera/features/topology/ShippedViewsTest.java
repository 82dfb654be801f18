package dev.tessera.features.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tessera.features.config.FeatureStoreConfig;
import dev.tessera.features.definition.ShippedFeatures;
import dev.tessera.features.offline.DriverStores;
import dev.tessera.features.query.FeatureLookup;
import dev.tessera.features.query.FeatureVector;
import dev.tessera.features.state.StoreNames;
import dev.tessera.schemas.Click;
import dev.tessera.schemas.Customer;
import dev.tessera.schemas.Order;
import dev.tessera.schemas.topic.TopicCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every column of the shipped views (customer_churn, customer_risk and, through it, region_orders)
 * for a small hand-made history, against values computed by hand.
 */
@Timeout(60)
class ShippedViewsTest {
  private static final long T0 = Instant.parse("2026-11-22T00:00:00Z").toEpochMilli();
  private static final long SECOND = 1_000L;
  private static final long MINUTE = 60_000L;
  private static final long HOUR = 3_600_000L;
  private static final long DAY = 86_400_000L;
  private static final double KM_PER_RADIAN = 6371.0088;
  private static final List<String> REGIONS =
      List.of("eu_west", "eu_central", "us_east", "us_west", "apac");

  // Berlin (C-1's home), Sydney (C-3's home), and Paris (where the request comes from).
  private static final double BERLIN_LAT = 52.5200;
  private static final double BERLIN_LON = 13.4050;
  private static final double SYDNEY_LAT = -33.8688;
  private static final double SYDNEY_LON = 151.2093;
  private static final Map<String, Double> PARIS_REQUEST =
      Map.of("amount", 250.0, "lat", 48.8566, "lon", 2.3522);

  @TempDir Path stateDir;
  private TopologyTestDriver driver;
  private TestInputTopic<String, Customer> customers;
  private TestInputTopic<String, Order> orders;
  private TestInputTopic<String, Click> clicks;
  private TestOutputTopic<byte[], byte[]> deadLetters;
  private FeatureLookup lookup;

  @BeforeEach
  void setUp() {
    TopicCatalog topics = TopicCatalog.create(1, (short) 1);
    var config = new FeatureStoreConfig(Map.of("state.dir", stateDir.toString()));
    driver =
        new TopologyTestDriver(
            FeatureTopology.build(ShippedFeatures.registry(), topics),
            config.streamsProperties(),
            Instant.ofEpochMilli(T0));
    customers =
        driver.createInputTopic(
            "customers", new StringSerializer(), topics.customers().valueSerde().serializer());
    orders =
        driver.createInputTopic(
            "orders", new StringSerializer(), topics.orders().valueSerde().serializer());
    clicks =
        driver.createInputTopic(
            "clicks", new StringSerializer(), topics.clicks().valueSerde().serializer());
    deadLetters =
        driver.createOutputTopic(
            TopicCatalog.DEAD_LETTERS, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    lookup = new FeatureLookup(new DriverStores(driver), ShippedFeatures.registry());

    // Rows first: orders join the customers table when they are processed.
    customer("C-1", T0 - 100 * DAY, "premium", "eu-west", BERLIN_LAT, BERLIN_LON);
    customer("C-2", T0 - 10 * DAY, "basic", "eu-west", null, null);
    customer("C-3", T0 - 400 * DAY, "gold", "apac", SYDNEY_LAT, SYDNEY_LON);
    // Stream time is now T0 - 10d: a click 31 days old is within the grace (30 d and a 12 h
    // tile), applied, and outside every 30 d window at T0.
    click("C-1", T0 - 31 * DAY, "page_view");

    order("C-3", T0 - 400 * DAY, 999.0, "garden");
    order("C-1", T0 - 40 * DAY, 100.0, "books");
    order("C-3", T0 - 100 * DAY, 200.0, "garden");
    order("C-2", T0 - 20 * DAY, 10.0, "music");
    order("C-1", T0 - 10 * DAY, 50.0, "games");
    // Session A: 25 minutes.
    click("C-1", T0 - 5 * DAY, "page_view");
    click("C-1", T0 - 5 * DAY + 10 * MINUTE, "add_to_cart");
    click("C-1", T0 - 5 * DAY + 25 * MINUTE, "page_view");
    order("C-1", T0 - 2 * DAY, 30.5, "books");
    // Session B: 45 minutes; the second click comes exactly one gap (30 min) after the first.
    click("C-1", T0 - DAY, "search");
    click("C-1", T0 - DAY + 30 * MINUTE, "page_view");
    click("C-1", T0 - DAY + 45 * MINUTE, "add_to_cart");
    order("C-9", T0 - 2 * HOUR, 40.0, "books");
    order("C-2", T0 - HOUR, 30.0, "books");
    order("C-1", T0 - 3 * MINUTE, 20.0, "toys");
    order("C-9", T0 - 90 * SECOND, 60.0, "toys");
    order("C-1", T0 - 30 * SECOND, 80.0, "books");
    // Stream time is now T0 - 30s: a click older than 30 days and one 12 h tile (the grace of
    // customer_churn, whose windows read whole tiles) is late for every view.
    click("C-1", T0 - 30 * DAY - 13 * HOUR, "page_view");
  }

  @AfterEach
  void tearDown() {
    driver.close();
  }

  @Test
  void shouldServeEveryChurnColumnAsComputedByHand() {
    FeatureVector v = lookup.lookup(ShippedFeatures.CUSTOMER_CHURN, "C-1", T0);

    assertThat(v.found()).isTrue();
    assertThat(v.value("days_since_last_order")).isEqualTo(30 * SECOND / 86_400_000.0);
    assertThat(v.eventTime("days_since_last_order")).isEqualTo(T0 - 30 * SECOND);
    assertThat(v.value("total_orders")).isEqualTo(5.0);
    // 100 + 50 + 30.5 + 20 + 80
    assertThat(v.value("lifetime_revenue")).isCloseTo(280.5, within(1e-9));
    assertThat(v.value("avg_order_value")).isCloseTo(56.1, within(1e-9));
    // Deviations from 56.1: 43.9, -6.1, -25.6, -36.1, 23.9; squares sum to 4494.2; n - 1 = 4.
    assertThat(v.value("order_value_stddev")).isCloseTo(Math.sqrt(4494.2 / 4), within(1e-9));
    assertThat(v.value("unique_categories")).isEqualTo(3.0); // books, games, toys
    assertThat(v.value("orders_30d")).isEqualTo(4.0); // not the order of 40 days ago
    assertThat(v.value("sessions_last_30d")).isEqualTo(2.0); // not the click of 31 days ago
    assertThat(v.value("avg_session_duration")).isEqualTo((25 + 45) * 60 / 2.0);
    assertThat(v.eventTime("avg_session_duration")).isEqualTo(T0 - DAY + 45 * MINUTE);
    assertThat(v.value("page_views_30d")).isEqualTo(3.0);
    assertThat(v.value("cart_adds_30d")).isEqualTo(2.0);
    assertThat(v.value("account_age_days")).isEqualTo(100.0);
    assertThat(v.value("subscription_tier")).isEqualTo(2.0); // free, basic, premium
    assertOneHotRegion(v, "eu_west");
    assertThat(v.names())
        .isEqualTo(
            ShippedFeatures.registry()
                .view(ShippedFeatures.CUSTOMER_CHURN)
                .orElseThrow()
                .columns());

    // The late click was dead-lettered, nothing else.
    List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
    assertThat(dead).hasSize(1);
    assertThat(header(dead.get(0), DeadLetters.SOURCE_TOPIC)).isEqualTo("clicks");
    assertThat(header(dead.get(0), DeadLetters.REASON)).startsWith("late:");
  }

  @Test
  void shouldServeChurnDefaultsWhereThereIsNoData() {
    FeatureVector c2 = lookup.lookup(ShippedFeatures.CUSTOMER_CHURN, "C-2", T0);
    assertThat(c2.value("days_since_last_order")).isEqualTo(1 / 24.0);
    assertThat(c2.value("order_value_stddev")).isCloseTo(Math.sqrt(200), within(1e-12));
    assertThat(c2.value("sessions_last_30d")).isZero();
    assertThat(c2.value("avg_session_duration")).isZero();
    assertThat(c2.value("page_views_30d")).isZero();
    assertThat(c2.value("account_age_days")).isEqualTo(10.0);
    assertThat(c2.value("subscription_tier")).isEqualTo(1.0);

    // An undeclared tier has no ordinal: the default.
    FeatureVector c3 = lookup.lookup(ShippedFeatures.CUSTOMER_CHURN, "C-3", T0);
    assertThat(c3.value("subscription_tier")).isEqualTo(-1.0);
    assertThat(c3.value("account_age_days")).isEqualTo(400.0);
    assertThat(c3.value("days_since_last_order")).isEqualTo(100.0);
    assertThat(c3.value("orders_30d")).isZero();
    assertOneHotRegion(c3, "apac");

    // No customer row: the order features, and the profile defaults.
    FeatureVector c9 = lookup.lookup(ShippedFeatures.CUSTOMER_CHURN, "C-9", T0);
    assertThat(c9.value("total_orders")).isEqualTo(2.0);
    assertThat(c9.value("days_since_last_order")).isEqualTo(90 * SECOND / 86_400_000.0);
    assertThat(c9.value("account_age_days")).isEqualTo(-1.0);
    assertThat(c9.value("subscription_tier")).isEqualTo(-1.0);
    assertOneHotRegion(c9, null);
  }

  @Test
  void shouldServeRiskColumnsFromRequestCustomerAndRegion() {
    FeatureVector v = lookup.lookup(ShippedFeatures.CUSTOMER_RISK, "C-1", T0, PARIS_REQUEST);

    assertThat(v.value("orders_last_1m")).isEqualTo(1.0); // T0 - 30s
    assertThat(v.value("orders_last_5m")).isEqualTo(2.0); // T0 - 3m, T0 - 30s
    assertThat(v.value("amount_zscore"))
        .isCloseTo((250.0 - 56.1) / Math.sqrt(4494.2 / 4), within(1e-9));
    double km = greatCircleKm(48.8566, 2.3522, BERLIN_LAT, BERLIN_LON);
    assertThat(km).isBetween(870.0, 885.0); // Paris - Berlin, about 878 km
    assertThat(v.value("distance_from_home_km")).isCloseTo(km, within(1e-6));
    // eu-west: the orders of C-1 and C-2 (C-2's row says eu-west); none of C-9, which has no row.
    assertThat(v.value("region_avg_order_value_365d"))
        .isCloseTo((100 + 50 + 30.5 + 20 + 80 + 10 + 30) / 7.0, within(1e-9));
    assertThat(v.eventTime("region_avg_order_value_365d")).isEqualTo(T0 - 30 * SECOND);

    // One window later the 1-minute count is back to its default.
    FeatureVector later =
        lookup.lookup(ShippedFeatures.CUSTOMER_RISK, "C-1", T0 + MINUTE, PARIS_REQUEST);
    assertThat(later.value("orders_last_1m")).isZero();
    assertThat(later.value("orders_last_5m")).isEqualTo(2.0);

    // apac: only C-3's order of 100 days ago; the one of 400 days ago is outside 365 days.
    FeatureVector c3 = lookup.lookup(ShippedFeatures.CUSTOMER_RISK, "C-3", T0, PARIS_REQUEST);
    assertThat(c3.value("region_avg_order_value_365d")).isEqualTo(200.0);
    assertThat(c3.value("distance_from_home_km"))
        .isCloseTo(greatCircleKm(48.8566, 2.3522, SYDNEY_LAT, SYDNEY_LON), within(1e-6));
    // Orders of 999 and 200: mean 599.5, stddev |999 - 200| / sqrt(2).
    assertThat(c3.value("amount_zscore"))
        .isCloseTo((250.0 - 599.5) / (799.0 / Math.sqrt(2)), within(1e-9));
    assertThat(c3.value("orders_last_5m")).isZero();
  }

  @Test
  void shouldReportTheLagOfARelatedViewReadFromALaggingReplica() {
    FeatureVector own = lookup.lookup(ShippedFeatures.CUSTOMER_RISK, "C-1", T0, PARIS_REQUEST);
    // The region's view answered by a standby 42 records behind its changelog.
    lookup.withRelated(
        (view, key, asOf, request) -> lookup.lookup(view, key, asOf, request).servedBy("b", 42));

    FeatureVector v = lookup.lookup(ShippedFeatures.CUSTOMER_RISK, "C-1", T0, PARIS_REQUEST);

    assertThat(own.storeLag()).isZero();
    assertThat(v.storeLag()).isEqualTo(42);
    assertThat(v.servedBy("a", 0).storeLag()).isEqualTo(42);
    assertThat(v.servedBy("a", 50).storeLag()).isEqualTo(50);
  }

  @Test
  void shouldServeRiskDefaultsWithoutCustomerRowHomeOrRequestFields() {
    // No row: no region, no home.
    FeatureVector c9 = lookup.lookup(ShippedFeatures.CUSTOMER_RISK, "C-9", T0, PARIS_REQUEST);
    assertThat(c9.value("region_avg_order_value_365d")).isZero();
    assertThat(c9.value("distance_from_home_km")).isEqualTo(-1.0);
    assertThat(c9.value("amount_zscore")).isCloseTo((250.0 - 50.0) / Math.sqrt(200), within(1e-9));
    assertThat(c9.value("orders_last_1m")).isZero();
    assertThat(c9.value("orders_last_5m")).isEqualTo(1.0); // T0 - 90s

    // A row without home coordinates, and a request without an amount.
    FeatureVector c2 =
        lookup.lookup(ShippedFeatures.CUSTOMER_RISK, "C-2", T0, Map.of("lat", 1.0, "lon", 2.0));
    assertThat(c2.value("distance_from_home_km")).isEqualTo(-1.0);
    assertThat(c2.value("amount_zscore")).isZero();
    assertThat(c2.value("region_avg_order_value_365d"))
        .isCloseTo(320.5 / 7.0, within(1e-9)); // eu-west

    // A customer nobody has heard of.
    FeatureVector nobody =
        lookup.lookup(ShippedFeatures.CUSTOMER_RISK, "nobody", T0, PARIS_REQUEST);
    assertThat(nobody.found()).isFalse();
    assertThat(nobody.values()).containsExactly(0.0, 0.0, 0.0, -1.0, 0.0);
  }

  @Test
  void shouldForgetTheCustomerRowAfterATombstone() {
    customers.pipeInput("C-2", null, T0 - 20 * SECOND);
    // Not joined any more: the region's average stays the same.
    order("C-2", T0 - 10 * SECOND, 1_000.0, "books");

    FeatureVector churn = lookup.lookup(ShippedFeatures.CUSTOMER_CHURN, "C-2", T0);
    assertThat(churn.value("account_age_days")).isEqualTo(-1.0);
    assertThat(churn.value("subscription_tier")).isEqualTo(-1.0);
    assertOneHotRegion(churn, null);
    assertThat(churn.value("total_orders")).isEqualTo(3.0);

    FeatureVector risk = lookup.lookup(ShippedFeatures.CUSTOMER_RISK, "C-2", T0, PARIS_REQUEST);
    assertThat(risk.value("region_avg_order_value_365d")).isZero();
    FeatureVector c1 = lookup.lookup(ShippedFeatures.CUSTOMER_RISK, "C-1", T0, PARIS_REQUEST);
    assertThat(c1.value("region_avg_order_value_365d")).isCloseTo(320.5 / 7.0, within(1e-9));
    assertThat(driver.getKeyValueStore(StoreNames.CUSTOMERS).get("C-2")).isNull();
    // A tombstone is a deletion, not a rejected event.
    assertThat(deadLetters.readRecordsToList())
        .extracting(r -> header(r, DeadLetters.SOURCE_TOPIC))
        .containsExactly("clicks");
  }

  private void assertOneHotRegion(FeatureVector v, String region) {
    for (String r : REGIONS) {
      assertThat(v.value("region_" + r)).as("region_" + r).isEqualTo(r.equals(region) ? 1.0 : 0.0);
    }
  }

  /** Central angle from the unit vectors' cross and dot products: no haversine involved. */
  private static double greatCircleKm(double lat1, double lon1, double lat2, double lon2) {
    double[] a = unit(lat1, lon1);
    double[] b = unit(lat2, lon2);
    double cx = a[1] * b[2] - a[2] * b[1];
    double cy = a[2] * b[0] - a[0] * b[2];
    double cz = a[0] * b[1] - a[1] * b[0];
    double dot = a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    return KM_PER_RADIAN * Math.atan2(Math.sqrt(cx * cx + cy * cy + cz * cz), dot);
  }

  private static double[] unit(double lat, double lon) {
    double phi = Math.toRadians(lat);
    double lambda = Math.toRadians(lon);
    return new double[] {
      Math.cos(phi) * Math.cos(lambda), Math.cos(phi) * Math.sin(lambda), Math.sin(phi)
    };
  }

  private void customer(
      String id, long signup, String tier, String region, Double homeLat, Double homeLon) {
    customers.pipeInput(
        id,
        Customer.newBuilder()
            .setCustomerId(id)
            .setSignupTs(Instant.ofEpochMilli(signup))
            .setSubscriptionTier(tier)
            .setRegion(region)
            .setHomeLat(homeLat)
            .setHomeLon(homeLon)
            .build(),
        signup);
  }

  private void order(String customer, long ts, double total, String category) {
    orders.pipeInput(
        customer,
        Order.newBuilder()
            .setOrderId("o-" + customer + "-" + ts)
            .setCustomerId(customer)
            .setOrderTs(Instant.ofEpochMilli(ts))
            .setOrderTotal(total)
            .setProductCategory(category)
            .build(),
        ts);
  }

  private void click(String customer, long ts, String type) {
    clicks.pipeInput(
        customer,
        Click.newBuilder()
            .setEventId("e-" + customer + "-" + ts)
            .setCustomerId(customer)
            .setEventType(type)
            .setEventTs(Instant.ofEpochMilli(ts))
            .build(),
        ts);
  }

  private static String header(TestRecord<byte[], byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
