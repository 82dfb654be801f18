package dev.tessera.features.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.features.aggregate.Partials;
import dev.tessera.features.config.FeatureStoreConfig;
import dev.tessera.features.definition.ShippedFeatures;
import dev.tessera.features.offline.DriverStores;
import dev.tessera.features.query.FeatureLookup;
import dev.tessera.features.query.FeatureVector;
import dev.tessera.schemas.Click;
import dev.tessera.schemas.Customer;
import dev.tessera.schemas.Order;
import dev.tessera.schemas.topic.Topic;
import dev.tessera.schemas.topic.TopicCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class FeatureTopologyTest {
  private static final long DAY = Duration.ofDays(1).toMillis();
  private static final long TILE = Duration.ofHours(12).toMillis();
  // A tile boundary: 2026-11-22T00:00Z is a multiple of 12 h since the epoch.
  private static final long T0 = Instant.parse("2026-11-22T00:00:00Z").toEpochMilli();

  @TempDir Path stateDir;
  private TopologyTestDriver driver;
  private TestInputTopic<String, Order> orders;
  private TestInputTopic<String, Click> clicks;
  private Topic<String, Order> orderTopic;
  private TestOutputTopic<byte[], byte[]> deadLetters;
  private FeatureLookup lookup;

  @BeforeEach
  void setUp() {
    // The test driver feeds every record through partition 0 of a one-partition topic.
    TopicCatalog topics = TopicCatalog.create(1, (short) 1);
    orderTopic = topics.orders();
    var config = new FeatureStoreConfig(Map.of("state.dir", stateDir.toString()));
    driver =
        new TopologyTestDriver(
            FeatureTopology.build(ShippedFeatures.registry().views(), topics),
            config.streamsProperties(),
            Instant.ofEpochMilli(T0));
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
  }

  @AfterEach
  void tearDown() {
    driver.close();
  }

  private void click(String customer, long ts) {
    clicks.pipeInput(
        customer,
        Click.newBuilder()
            .setEventId("e-" + ts)
            .setCustomerId(customer)
            .setEventType("page_view")
            .setEventTs(Instant.ofEpochMilli(ts))
            .build(),
        ts);
  }

  private void order(String customer, long ts) {
    orders.pipeInput(customer, order(customer, "o-" + ts, ts), ts);
  }

  private static Order order(String customer, String id, long ts) {
    return Order.newBuilder()
        .setOrderId(id)
        .setCustomerId(customer)
        .setOrderTs(Instant.ofEpochMilli(ts))
        .setOrderTotal(10.0)
        .setProductCategory("books")
        .build();
  }

  private FeatureVector churn(String customer, long at) {
    return lookup.lookup(ShippedFeatures.CUSTOMER_CHURN, customer, at);
  }

  @Test
  void shouldCountOrdersPerCustomerOverLifetimeAndLast30Days() {
    order("C-1", T0 - 40 * DAY);
    order("C-1", T0 - 10 * DAY);
    order("C-1", T0 - DAY);
    order("C-2", T0 - DAY);

    FeatureVector c1 = churn("C-1", T0);
    assertThat(c1.found()).isTrue();
    assertThat(c1.value("total_orders")).isEqualTo(3.0);
    assertThat(c1.value("orders_30d")).isEqualTo(2.0);
    assertThat(c1.eventTimes()[1]).isEqualTo(T0 - DAY);
    assertThat(churn("C-2", T0).value("orders_30d")).isEqualTo(1.0);
  }

  @Test
  void shouldMergeTilesFromTheTileHoldingTheWindowStart() {
    long at = T0 + 5 * 3_600_000L; // 05:00, inside the tile [T0, T0 + 12h)
    long windowStart = at - 30 * DAY + 1; // (t - W, t] in whole milliseconds
    long windowStartTile = windowStart - Math.floorMod(windowStart, TILE);
    order("C-1", windowStartTile - 1); // last ms of the tile before: outside
    order("C-1", windowStartTile); // first ms of the oldest tile: inside, although older than t-W
    order("C-1", at); // the lookup instant itself: inside (window is (t-W, t])

    FeatureVector v = churn("C-1", at);
    assertThat(v.value("orders_30d")).isEqualTo(2.0);
    assertThat(v.value("total_orders")).isEqualTo(3.0);
  }

  @Test
  void shouldDropTheOldestTileWhenTheLookupCrossesATileBoundary() {
    order("C-1", T0 - 30 * DAY); // first ms of the tile that starts exactly 30 days before T0
    assertThat(churn("C-1", T0 - 1).value("orders_30d")).isEqualTo(1.0);
    // At T0 the window (T0-30d, T0] starts at that tile's start + 1 ms: aligned down, still in.
    assertThat(churn("C-1", T0).value("orders_30d")).isEqualTo(1.0);
    // One tile later the tile has left the window.
    assertThat(churn("C-1", T0 + TILE).value("orders_30d")).isEqualTo(0.0);
  }

  @Test
  void shouldServeDefaultsForUnknownCustomer() {
    FeatureVector v = churn("nobody", T0);
    assertThat(v.found()).isFalse();
    assertThat(v.value("total_orders")).isZero();
    assertThat(v.value("orders_30d")).isZero();
    assertThat(v.value("days_since_last_order")).isEqualTo(-1.0);
    assertThat(v.value("account_age_days")).isEqualTo(-1.0);
    assertThat(v.value("subscription_tier")).isEqualTo(-1.0);
    assertThat(v.value("region_eu_west")).isZero();
    assertThat(v.eventTimes()).containsOnly(Partials.NO_EVENT);
  }

  @Test
  void shouldDeadLetterOrderWhoseKeyIsNotItsCustomer() {
    orders.pipeInput("C-2", order("C-1", "o-1", T0), T0);

    TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
    assertThat(header(dead.headers(), DeadLetters.REASON))
        .isEqualTo("key 'C-2' does not match customer_id 'C-1'");
    assertThat(header(dead.headers(), DeadLetters.SOURCE_TOPIC)).isEqualTo("orders");
    assertThat(header(dead.headers(), DeadLetters.SOURCE_PARTITION)).isEqualTo("0");
    assertThat(header(dead.headers(), DeadLetters.SOURCE_OFFSET)).isEqualTo("0");
    assertThat(orderTopic.valueSerde().deserializer().deserialize("orders", dead.value()))
        .isEqualTo(order("C-1", "o-1", T0));
    assertThat(churn("C-1", T0).found()).isFalse();
    assertThat(churn("C-2", T0).found()).isFalse();
  }

  @Test
  void shouldDeadLetterOrderWithoutKey() {
    orders.pipeInput(null, order("C-1", "o-1", T0), T0);

    assertThat(header(deadLetters.readRecord().headers(), DeadLetters.REASON))
        .startsWith("missing key");
  }

  @Test
  void shouldDeadLetterAnEventTimeBefore1970() {
    order("C-1", T0);
    orders.pipeInput("C-1", order("C-1", "o-old", -5_000), T0);

    assertThat(header(deadLetters.readRecord().headers(), DeadLetters.REASON))
        .isEqualTo("order_ts is before 1970: 1969-12-31T23:59:55Z");
    assertThat(deadLetters.isEmpty()).isTrue();
    assertThat(churn("C-1", T0).value("total_orders")).isEqualTo(1.0);
  }

  @Test
  void shouldDeadLetterANumberThatIsNotFinite() {
    order("C-1", T0);
    for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY}) {
      Order o = order("C-1", "o-" + bad, T0);
      o.setOrderTotal(bad);
      orders.pipeInput("C-1", o, T0);
      assertThat(header(deadLetters.readRecord().headers(), DeadLetters.REASON))
          .isEqualTo("order_total is not a finite number: " + bad);
    }
    assertThat(deadLetters.isEmpty()).isTrue();
    assertThat(churn("C-1", T0).value("lifetime_revenue")).isEqualTo(10.0);
    assertThat(churn("C-1", T0).value("total_orders")).isEqualTo(1.0);
  }

  @Test
  void shouldAcceptHistoryWithinGraceAndDeadLetterOlderEvents() {
    click("C-1", T0);
    click("C-1", T0 - 29 * DAY); // older than the window's tile, within 30 days of grace
    click("C-1", T0 - 31 * DAY); // beyond grace: no clicks feature could use it

    assertThat(header(deadLetters.readRecord().headers(), DeadLetters.REASON)).startsWith("late:");
    assertThat(deadLetters.isEmpty()).isTrue();
    assertThat(churn("C-1", T0).value("page_views_30d")).isEqualTo(2.0);
  }

  @Test
  void shouldCountAClickOlderThanGraceInTheOldestTileAWindowStillReads() {
    long at = T0 + 6 * 3_600_000L;
    order("C-1", at); // stream time moves on first, as when another topic's history runs ahead
    // Older than stream time − 30 days of grace, but in the tile [T0 − 30d, T0 − 30d + 12h) that
    // the
    // window of a lookup at stream time starts in: replayed in time order it counts, so it must.
    click("C-1", T0 - 30 * DAY + 3_600_000L);
    // In the tile before that one: no lookup from stream time on reads it.
    click("C-1", T0 - 30 * DAY - 3_600_000L);

    assertThat(churn("C-1", at).value("page_views_30d")).isEqualTo(1.0);
    assertThat(deadLetters.isEmpty()).isTrue();
  }

  @Test
  void shouldAverageOrderValuesPerRegionOfTheCustomers() {
    TestInputTopic<String, Customer> customers =
        driver.createInputTopic(
            "customers",
            new StringSerializer(),
            TopicCatalog.create(1, (short) 1).customers().valueSerde().serializer());
    for (String id : new String[] {"C-1", "C-2"}) {
      customers.pipeInput(
          id,
          Customer.newBuilder()
              .setCustomerId(id)
              .setSignupTs(Instant.ofEpochMilli(T0 - 100 * DAY))
              .setSubscriptionTier("basic")
              .setRegion("eu-west")
              .build(),
          T0 - 100 * DAY);
    }
    orders.pipeInput("C-1", order("C-1", "o-1", T0 - DAY), T0 - DAY);
    orders.pipeInput("C-2", order("C-2", "o-2", T0 - DAY), T0 - DAY);

    assertThat(lookup.lookup("region_orders", "eu-west", T0).value("avg_order_value_365d"))
        .isEqualTo(10.0);
    assertThat(lookup.lookup("customer_risk", "C-1", T0).value("region_avg_order_value_365d"))
        .isEqualTo(10.0);
  }

  @Test
  void shouldKeepEachEntityInASubTopologyOfItsOwn() {
    var description =
        FeatureTopology.build(ShippedFeatures.registry(), TopicCatalog.defaults()).describe();
    // The customers' topics (with region re-keying); region; the fraud topics (users and the
    // transactions, keyed by user and by user and merchant: a source feeds one sub-topology);
    // country.
    assertThat(description.subtopologies()).hasSize(4);
  }

  @Test
  void shouldApplyOrdersOfAnyAgeToLifetimeFeaturesOnly() {
    order("C-1", T0);
    order("C-1", T0 - 400 * DAY);

    assertThat(deadLetters.isEmpty()).isTrue();
    assertThat(churn("C-1", T0).value("total_orders")).isEqualTo(2.0);
    assertThat(churn("C-1", T0).value("orders_30d")).isEqualTo(1.0);
  }

  @Test
  void shouldSkipTilesThatNoLookupFromNowCanRead() {
    // The driver's wall clock is T0. An hour-old order is within customer_risk's 5 minute grace
    // of stream time (it is the first event), but no window ending now or later reaches it.
    order("C-1", T0 - 3_600_000L);
    order("C-1", T0);

    WindowStore<String, Partials> tiles = driver.getWindowStore("customer_risk-orders-tiles-1s");
    try (var it = tiles.fetchAll(Instant.EPOCH, Instant.ofEpochMilli(T0 + DAY))) {
      assertThat(it).toIterable().extracting(kv -> kv.key.window().start()).containsExactly(T0);
    }
    assertThat(churn("C-1", T0).value("total_orders")).isEqualTo(2.0);
    assertThat(lookup.lookup("customer_risk", "C-1", T0).value("orders_last_5m")).isEqualTo(1.0);
  }

  @Test
  void shouldCountOrdersOnAnyPartitionMovingThoseNotOnTheirKeysPartitionThroughTheByKeyTopic() {
    // With 3 partitions the driver still puts every record on partition 0: C-1 hashes (murmur2) to
    // another one, as a librdkafka producer's key may, and must be moved to be counted where
    // lookups read it; the other key is at home on partition 0.
    TopicCatalog threePartitions = TopicCatalog.create(3, (short) 1);
    String away = "C-1";
    String home =
        java.util.stream.IntStream.range(0, 100)
            .mapToObj(i -> "C-" + i)
            .filter(k -> KeyPartitionFilter.partitionOf(k, 3) == 0)
            .findFirst()
            .orElseThrow();
    assertThat(KeyPartitionFilter.partitionOf(away, 3)).isNotZero();
    var config = new FeatureStoreConfig(Map.of("state.dir", stateDir.resolve("p3").toString()));
    try (var other =
        new TopologyTestDriver(
            FeatureTopology.build(ShippedFeatures.registry().views(), threePartitions),
            config.streamsProperties(),
            Instant.ofEpochMilli(T0))) {
      var input =
          other.createInputTopic(
              "orders", new StringSerializer(), threePartitions.orders().valueSerde().serializer());
      input.pipeInput(away, order(away, "o-1", T0), T0);
      input.pipeInput(home, order(home, "o-2", T0), T0);
      input.pipeInput(away, order(away, "o-3", T0 + 1), T0 + 1);

      var lookups = new FeatureLookup(new DriverStores(other), ShippedFeatures.registry());
      assertThat(lookups.lookup("customer_churn", away, T0 + 1).value("total_orders"))
          .isEqualTo(2.0);
      assertThat(lookups.lookup("customer_churn", home, T0 + 1).value("total_orders"))
          .isEqualTo(1.0);
      assertThat(other.producedTopicNames())
          .anyMatch(t -> t.endsWith("orders-by-key-repartition"))
          .doesNotContain(TopicCatalog.DEAD_LETTERS);
    }
  }

  private static String header(Headers headers, String name) {
    return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
