package dev.tessera.features.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tessera.features.aggregate.Partials;
import dev.tessera.features.config.FeatureStoreConfig;
import dev.tessera.features.definition.AggregateFeature;
import dev.tessera.features.definition.Aggregation;
import dev.tessera.features.definition.EventFilter;
import dev.tessera.features.definition.EventSource;
import dev.tessera.features.definition.FeatureDefinition;
import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.definition.FeatureView;
import dev.tessera.features.definition.FeatureWindow;
import dev.tessera.features.definition.ProfileFeature;
import dev.tessera.features.definition.ProfileFeature.Encoding;
import dev.tessera.features.definition.SessionFeature;
import dev.tessera.features.definition.SessionFeature.SessionMetric;
import dev.tessera.features.offline.DriverStores;
import dev.tessera.features.query.FeatureLookup;
import dev.tessera.features.query.FeatureVector;
import dev.tessera.schemas.Click;
import dev.tessera.schemas.Customer;
import dev.tessera.schemas.Order;
import dev.tessera.schemas.topic.TopicCatalog;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The topology and the lookup against a reference computed from the raw events: random interleaved
 * orders and clicks, out of order, some beyond grace, through custom views covering every
 * aggregation over lifetime and sliding windows, filters and sessions. The reference applies the
 * late rule as documented, simulating stream time in processing order: the topic's validator
 * dead-letters events older than stream time minus the longest grace of the views reading the topic
 * (never when one of them keeps lifetime features of it); each view's windowed state (tiles,
 * sessions) ignores events older than stream time minus the view's own grace; lifetime state takes
 * every event the validator let through.
 */
@Timeout(120)
class FeatureEngineReferenceTest {
  private static final long T0 = Instant.parse("2026-11-22T00:00:00Z").toEpochMilli();
  private static final long MINUTE = 60_000L;
  private static final long HOUR = 3_600_000L;
  private static final long DAY = 86_400_000L;
  private static final List<String> KEYS = List.of("C-1", "C-2", "C-3", "C-4");
  private static final List<String> CATEGORIES = List.of("books", "games", "music", "toys");
  private static final List<String> EVENT_TYPES =
      List.of("page_view", "add_to_cart", "search", "checkout", "wishlist");

  @TempDir Path stateDir;

  // --- views

  /**
   * Three views: every aggregation of orders over a 1 h window (1 m tiles), a 1 d window (derived
   * 24 m tiles) and, optionally, lifetime (then no order is ever late for the topic); orders and
   * clicks together with a declared grace of 2 h, shorter than its 12 h windows; clicks with
   * filters, nullable fields, windows of 5 m (derived 5 s tiles) to 12 h and sessions of two gaps
   * (grace: its longest window, 1 d).
   *
   * <p>Windows and graces are short next to the 36 h the events span, so that stores roll over
   * segments; but not very short, because every segment is a RocksDB instance to open.
   */
  static List<FeatureView> views(boolean lifetimeOrders) {
    FeatureWindow h1 = FeatureWindow.sliding(Duration.ofHours(1), Duration.ofMinutes(1));
    FeatureWindow d1 = FeatureWindow.sliding(Duration.ofDays(1));
    FeatureWindow h12 = FeatureWindow.sliding(Duration.ofHours(12));
    FeatureWindow m5 = FeatureWindow.sliding(Duration.ofMinutes(5));
    var orders = FeatureView.builder("order_stats", "customer_id");
    orders.source(EventSource.of("orders", "customer_id", "order_ts"));
    var windows = new ArrayList<FeatureWindow>(List.of(h1, d1));
    if (lifetimeOrders) {
      windows.add(FeatureWindow.lifetime());
    }
    for (FeatureWindow w : windows) {
      String suffix = w.isLifetime() ? "life" : w == h1 ? "1h" : "1d";
      for (Aggregation a : Aggregation.values()) {
        String field =
            switch (a) {
              case COUNT -> null;
              case COUNT_DISTINCT -> "product_category";
              default -> "order_total";
            };
        orders.feature(
            new AggregateFeature(
                a.name().toLowerCase() + "_" + suffix,
                "orders",
                a,
                field,
                null,
                w,
                -1.0 - a.ordinal() - windows.indexOf(w) / 10.0,
                a == Aggregation.COUNT_DISTINCT ? 1000 : 0));
      }
      // Nullable fields, a timestamp field as a number.
      orders.feature(agg("lat_sum_" + suffix, Aggregation.SUM, "lat", w, -0.5));
      orders.feature(agg("lon_last_" + suffix, Aggregation.LAST, "lon", w, -0.25));
      orders.feature(agg("first_ts_" + suffix, Aggregation.MIN, "order_ts", w, -0.75));
    }
    orders
        .feature(
            AggregateFeature.count("books_or_games_1h", "orders", h1)
                .where(new EventFilter("product_category", List.of("books", "games"))))
        .feature(
            agg("book_value_1d", Aggregation.MEAN, "order_total", d1, -9)
                .where(EventFilter.equalTo("product_category", "books")))
        // Above its exact limit of 2 the count is an HLL estimate.
        .feature(
            new AggregateFeature(
                "categories_approx_1d",
                "orders",
                Aggregation.COUNT_DISTINCT,
                "product_category",
                null,
                d1,
                -9,
                2));

    Duration gap = SessionFeature.DEFAULT_GAP;
    FeatureView bursts =
        FeatureView.builder("order_bursts", "customer_id")
            .source(EventSource.of("orders", "customer_id", "order_ts"))
            .source(EventSource.of("clicks", "customer_id", "event_ts"))
            .grace(Duration.ofHours(2))
            .feature(AggregateFeature.count("orders_12h", "orders", h12))
            .feature(agg("revenue_12h", Aggregation.SUM, "order_total", h12, -3))
            .feature(agg("top_order_12h", Aggregation.MAX, "order_total", h12, -3))
            .feature(
                AggregateFeature.count("cart_adds_12h", "clicks", h12)
                    .where(EventFilter.equalTo("event_type", "add_to_cart")))
            .feature(
                new SessionFeature(
                    "sessions_12h", "clicks", SessionMetric.COUNT, gap, Duration.ofHours(12), -1))
            .feature(
                new SessionFeature(
                    "session_seconds_12h",
                    "clicks",
                    SessionMetric.MEAN_DURATION,
                    gap,
                    Duration.ofHours(12),
                    -1))
            .build();

    FeatureView clicks =
        FeatureView.builder("click_stats", "customer_id")
            .source(EventSource.of("clicks", "customer_id", "event_ts"))
            .feature(AggregateFeature.count("clicks_5m", "clicks", m5))
            .feature(AggregateFeature.count("clicks_1h", "clicks", h1))
            .feature(
                AggregateFeature.count("page_views_1h", "clicks", h1)
                    .where(EventFilter.equalTo("event_type", "page_view")))
            .feature(
                new AggregateFeature(
                    "event_types_1h",
                    "clicks",
                    Aggregation.COUNT_DISTINCT,
                    "event_type",
                    null,
                    h1,
                    -2,
                    1000))
            .feature(agg("last_click_1h", Aggregation.LAST, "event_ts", h1, -2))
            .feature(
                new AggregateFeature(
                    "session_ids_12h",
                    "clicks",
                    Aggregation.COUNT_DISTINCT,
                    "session_id",
                    null,
                    h12,
                    -2,
                    1000))
            .feature(
                AggregateFeature.count("searches_12h", "clicks", h12)
                    .where(new EventFilter("event_type", List.of("search", "checkout"))))
            .feature(agg("click_time_spread_12h", Aggregation.STDDEV, "event_ts", h12, -2))
            .feature(session("sessions_6h", SessionMetric.COUNT, gap, Duration.ofHours(6), -3))
            .feature(
                session(
                    "session_seconds_6h",
                    SessionMetric.MEAN_DURATION,
                    gap,
                    Duration.ofHours(6),
                    -3))
            .feature(session("sessions_1d", SessionMetric.COUNT, gap, Duration.ofDays(1), -4))
            .feature(
                session(
                    "session_seconds_1d", SessionMetric.MEAN_DURATION, gap, Duration.ofDays(1), -4))
            .feature(
                session(
                    "short_sessions_1d",
                    SessionMetric.COUNT,
                    Duration.ofMinutes(10),
                    Duration.ofDays(1),
                    -5))
            .build();
    return List.of(orders.build(), bursts, clicks);
  }

  private static AggregateFeature agg(
      String name, Aggregation a, String field, FeatureWindow w, double defaultValue) {
    String source = field.equals("event_ts") ? "clicks" : "orders";
    return new AggregateFeature(name, source, a, field, null, w, defaultValue, 0);
  }

  private static SessionFeature session(
      String name, SessionMetric metric, Duration gap, Duration window, double defaultValue) {
    return new SessionFeature(name, "clicks", metric, gap, window, defaultValue);
  }

  // --- the property

  static Stream<Arguments> runs() {
    return LongStream.rangeClosed(1, 5)
        .boxed()
        .flatMap(seed -> Stream.of(Arguments.of(seed, true), Arguments.of(seed, false)));
  }

  @ParameterizedTest(name = "seed {0}, lifetime order features {1}")
  @MethodSource("runs")
  void shouldMatchTheReferenceForRandomOutOfOrderStreams(long seed, boolean lifetimeOrders) {
    List<FeatureView> views = views(lifetimeOrders);
    var random = new Random(seed);
    List<Event> events = randomStream(random, seed);
    var reference = new Reference(views);
    try (var engine = new Engine(views, stateDir)) {
      for (Event e : events) {
        engine.pipe(e);
        reference.process(e);
      }

      assertThat(engine.deadLetters())
          .as("dead letters (topic/id)")
          .containsExactlyElementsOf(reference.rejected.stream().map(Event::ref).toList());
      if (lifetimeOrders) {
        assertThat(reference.rejected).noneMatch(e -> e.topic().equals("orders"));
      }
      assertThat(reference.rejected).as("some events are beyond grace").isNotEmpty();

      long newest = events.stream().mapToLong(Event::time).max().orElseThrow();
      var mismatches = new ArrayList<String>();
      for (String key : KEYS) {
        for (long t :
            List.of(newest, newest + random.nextLong(2 * HOUR), newest + random.nextLong(DAY))) {
          for (FeatureView view : views) {
            compare(engine.lookup.lookup(view.name(), key, t), reference, view, mismatches);
          }
        }
      }
      assertThat(mismatches).as("features that differ from the reference").isEmpty();
    }
  }

  // --- deterministic cases

  @Test
  void shouldMergeSessionsWhenALateClickBridgesTwoSessions() {
    try (var engine = new Engine(views(true), stateDir)) {
      long now = T0 + 70 * MINUTE;
      for (long m : new long[] {0, 10, 60, 70}) {
        engine.pipe(click("C-1", "c" + m, T0 + m * MINUTE, "page_view", null));
      }
      FeatureVector before = engine.lookup.lookup("click_stats", "C-1", now);
      assertThat(before.value("sessions_6h")).isEqualTo(2.0);
      assertThat(before.value("session_seconds_6h")).isEqualTo(600.0);
      // A gap of exactly 10 minutes keeps a 10-minute session open.
      assertThat(before.value("short_sessions_1d")).isEqualTo(2.0);

      // 25 minutes after the first session's end and before the second's start: one session.
      engine.pipe(click("C-1", "c35", T0 + 35 * MINUTE, "page_view", null));
      FeatureVector after = engine.lookup.lookup("click_stats", "C-1", now);
      assertThat(after.value("sessions_6h")).isEqualTo(1.0);
      assertThat(after.value("session_seconds_6h")).isEqualTo(70 * 60.0);
      assertThat(after.eventTime("sessions_6h")).isEqualTo(now);
      assertThat(after.value("sessions_1d")).isEqualTo(1.0);
      assertThat(after.value("short_sessions_1d")).isEqualTo(3.0);
      FeatureVector bursts = engine.lookup.lookup("order_bursts", "C-1", now);
      assertThat(bursts.value("sessions_12h")).isEqualTo(1.0);
      assertThat(bursts.value("session_seconds_12h")).isEqualTo(70 * 60.0);

      // 2 h 1 min behind stream time: a session of its own for click_stats (grace 1 d); too late
      // for order_bursts (grace 2 h), whose sessions stay as they were.
      engine.pipe(click("C-1", "early", now - 121 * MINUTE, "page_view", null));
      FeatureVector late = engine.lookup.lookup("click_stats", "C-1", now);
      assertThat(late.value("sessions_6h")).isEqualTo(2.0);
      assertThat(late.value("session_seconds_6h")).isEqualTo(35 * 60.0);
      bursts = engine.lookup.lookup("order_bursts", "C-1", now);
      assertThat(bursts.value("sessions_12h")).isEqualTo(1.0);
      assertThat(bursts.value("session_seconds_12h")).isEqualTo(70 * 60.0);
      assertThat(engine.deadLetters()).isEmpty();
    }
  }

  @Test
  void shouldApplyOutOfOrderEventsWithinGraceAsIfTheyCameInOrder() {
    try (var engine = new Engine(views(false), stateDir)) {
      long now = T0 + 3 * HOUR;
      engine.pipe(order("C-1", "now", now, 5.0, "books"));
      engine.pipe(order("C-1", "a", T0 + 130 * MINUTE, 1.0, "games"));
      engine.pipe(order("C-1", "b", T0 + 150 * MINUTE, 3.0, "books"));
      // 2 h 10 min behind stream time: beyond order_bursts' grace of 2 h, within order_stats' 1 d.
      engine.pipe(order("C-1", "c", T0 + 50 * MINUTE, 7.0, "music"));
      // Exactly 2 h behind: order_bursts still applies it.
      engine.pipe(order("C-1", "d", T0 + 60 * MINUTE, 11.0, "music"));
      // A day and a millisecond old: older than the 1 d window, but in the 24 m tile
      // [2:48 the day before, 3:12) that the window at 3:00 starts in, so it counts there, as it
      // would replayed in time order.
      engine.pipe(order("C-1", "tile", now - DAY - 1, 100.0, "toys"));
      // Exactly at stream time minus the topic's grace (the longest of its views: 1 d plus its
      // 24 m tile): applied, to a tile no window from now on reads.
      engine.pipe(order("C-1", "edge", now - DAY - 24 * MINUTE, 1000.0, "toys"));
      // One millisecond older: dead-lettered, counted nowhere.
      engine.pipe(order("C-1", "late", now - DAY - 24 * MINUTE - 1, 10000.0, "toys"));

      assertThat(engine.deadLetters()).containsExactly("orders/late");
      FeatureVector v = engine.lookup.lookup("order_stats", "C-1", now);
      // The 1 h window holds the orders at 2:10, 2:30 and 3:00, whatever order they came in.
      assertThat(v.value("count_1h")).isEqualTo(3.0);
      assertThat(v.value("sum_1h")).isEqualTo(9.0);
      assertThat(v.value("mean_1h")).isCloseTo(3.0, within(1e-12));
      assertThat(v.value("min_1h")).isEqualTo(1.0);
      assertThat(v.value("max_1h")).isEqualTo(5.0);
      assertThat(v.value("stddev_1h")).isCloseTo(2.0, within(1e-12));
      assertThat(v.value("last_1h")).isEqualTo(5.0);
      assertThat(v.value("count_distinct_1h")).isEqualTo(2.0);
      assertThat(v.value("books_or_games_1h")).isEqualTo(3.0);
      assertThat(v.eventTime("count_1h")).isEqualTo(now);
      // The 1 d window at 3:00 starts in the 24 m tile [2:48 the day before, ...), which holds
      // the order a day and a millisecond old, not the one at the edge of grace.
      assertThat(v.value("count_1d")).isEqualTo(6.0);
      assertThat(v.value("max_1d")).isEqualTo(100.0);
      assertThat(v.value("last_1d")).isEqualTo(5.0);

      FeatureVector bursts = engine.lookup.lookup("order_bursts", "C-1", now);
      assertThat(bursts.value("orders_12h")).isEqualTo(4.0);
      assertThat(bursts.value("revenue_12h")).isEqualTo(5.0 + 1.0 + 3.0 + 11.0);
    }
  }

  /**
   * A NUMBER profile feature (the default encoding of a customer feature in the definition file)
   * serves the customer row's field as is; a timestamp field, which the definition file accepts as
   * numeric, as epoch millis like on-demand arguments. Fails today: ViewReader passes the field's
   * text to ProfileFeature.encode, which takes only a Number, so the default is served.
   */
  @Test
  void shouldServeANumericProfileFieldAsIs() {
    FeatureView home =
        FeatureView.builder("customer_home", "customer_id")
            .feature(new ProfileFeature("home_lat", "home_lat", Encoding.NUMBER, List.of(), -999))
            .feature(new ProfileFeature("home_lon", "home_lon", Encoding.NUMBER, List.of(), -999))
            .feature(new ProfileFeature("signup", "signup_ts", Encoding.NUMBER, List.of(), -999))
            .build();
    try (var engine = new Engine(List.of(home), stateDir)) {
      engine.customers.pipeInput(
          "C-1",
          Customer.newBuilder()
              .setCustomerId("C-1")
              .setSignupTs(Instant.ofEpochMilli(T0))
              .setSubscriptionTier("basic")
              .setRegion("eu-west")
              .setHomeLat(52.52)
              .setHomeLon(13.405)
              .build(),
          T0);

      FeatureVector v = engine.lookup.lookup("customer_home", "C-1", T0);
      assertThat(v.found()).isTrue();
      assertThat(v.values()).containsExactly(52.52, 13.405, (double) T0);
    }
  }

  // --- stream generation

  /**
   * Orders and clicks of every key over 36 hours, in arrival order: event time plus a delay that is
   * usually short, sometimes hours, and sometimes over a day (beyond every grace).
   */
  private static List<Event> randomStream(Random r, long seed) {
    long span = 36 * HOUR;
    var events = new ArrayList<Event>();
    for (int k = 0; k < KEYS.size(); k++) {
      String key = KEYS.get(k);
      boolean large = k == KEYS.size() - 1;
      long previous = T0;
      for (int i = 15 + r.nextInt(25); i > 0; i--) {
        long time = randomTime(r, span, previous);
        previous = time;
        double total =
            large
                ? 1e9 + (r.nextInt(2001) - 1000) / 1000.0
                : Math.round((r.nextDouble() * 550 - 50) * 100) / 100.0;
        String category =
            r.nextInt(7) == 0
                ? "sku-" + r.nextInt(5000)
                : CATEGORIES.get(r.nextInt(CATEGORIES.size()));
        Double lat = r.nextInt(3) == 0 ? null : r.nextDouble() * 180 - 90;
        Double lon = r.nextInt(3) == 0 ? null : r.nextDouble() * 360 - 180;
        events.add(order(key, "o" + seed + "-" + events.size(), time, total, category, lat, lon));
      }
      for (int b = 12 + r.nextInt(12); b > 0; b--) {
        long time = randomTime(r, span, previous);
        for (int j = 1 + r.nextInt(8); j > 0; j--) {
          String session = r.nextInt(5) < 2 ? null : "s" + r.nextInt(6);
          String type = EVENT_TYPES.get(r.nextInt(EVENT_TYPES.size()));
          events.add(click(key, "c" + seed + "-" + events.size(), time, type, session));
          int step = r.nextInt(10);
          // Steps of exactly the gaps (10 and 30 min) and just over them, to probe the bounds.
          time +=
              step == 0
                  ? 30 * MINUTE
                  : step == 1 ? 10 * MINUTE : step == 2 ? 30 * MINUTE + 1 : r.nextLong(40 * MINUTE);
        }
        previous = time;
      }
    }
    var arrival = new HashMap<Event, Long>();
    for (Event e : events) {
      double u = r.nextDouble();
      long delay =
          u < 0.75
              ? r.nextLong(10 * MINUTE)
              : u < 0.9 ? r.nextLong(6 * HOUR) : r.nextLong(36 * HOUR);
      arrival.put(e, e.time() + delay);
    }
    // A stable sort: events arriving at the same millisecond stay in generation order.
    events.sort(Comparator.comparing(arrival::get));
    return events;
  }

  /** Any millisecond, a whole minute (tile starts, equal times), or the previous event's time. */
  private static long randomTime(Random r, long span, long previous) {
    long t = T0 + r.nextLong(span);
    return switch (r.nextInt(6)) {
      case 0 -> t - Math.floorMod(t, MINUTE);
      case 1 -> previous;
      default -> t;
    };
  }

  private static Event order(String key, String id, long time, double total, String category) {
    return order(key, id, time, total, category, null, null);
  }

  private static Event order(
      String key, String id, long time, double total, String category, Double lat, Double lon) {
    return new Event(
        "orders",
        key,
        id,
        time,
        Order.newBuilder()
            .setOrderId(id)
            .setCustomerId(key)
            .setOrderTs(Instant.ofEpochMilli(time))
            .setOrderTotal(total)
            .setProductCategory(category)
            .setLat(lat)
            .setLon(lon)
            .build());
  }

  private static Event click(String key, String id, long time, String type, String session) {
    return new Event(
        "clicks",
        key,
        id,
        time,
        Click.newBuilder()
            .setEventId(id)
            .setCustomerId(key)
            .setSessionId(session)
            .setEventType(type)
            .setEventTs(Instant.ofEpochMilli(time))
            .build());
  }

  /** One input event; identity (not value) equality, so that equal events stay distinct. */
  static final class Event {
    private final String topic;
    private final String key;
    private final String id;
    private final long time;
    private final SpecificRecordBase value;

    Event(String topic, String key, String id, long time, SpecificRecordBase value) {
      this.topic = topic;
      this.key = key;
      this.id = id;
      this.time = time;
      this.value = value;
    }

    String topic() {
      return topic;
    }

    String key() {
      return key;
    }

    long time() {
      return time;
    }

    Object field(String name) {
      return value.get(name);
    }

    String ref() {
      return topic + "/" + id;
    }

    @Override
    public String toString() {
      return ref() + "@" + Instant.ofEpochMilli(time) + " " + value;
    }
  }

  // --- the engine under test

  /**
   * The topology in a test driver, its input and dead-letter topics, and a lookup on its stores.
   */
  private static final class Engine implements AutoCloseable {
    private final TopologyTestDriver driver;
    private final TopicCatalog topics = TopicCatalog.create(1, (short) 1);
    private final TestInputTopic<String, Order> orders;
    private final TestInputTopic<String, Click> clicks;
    final TestInputTopic<String, Customer> customers;
    private final TestOutputTopic<byte[], byte[]> deadLetters;
    final FeatureLookup lookup;

    Engine(List<FeatureView> views, Path stateDir) {
      var config = new FeatureStoreConfig(Map.of("state.dir", stateDir.toString()));
      driver =
          new TopologyTestDriver(
              FeatureTopology.build(views, topics),
              config.streamsProperties(),
              Instant.ofEpochMilli(T0));
      orders =
          driver.createInputTopic(
              "orders", new StringSerializer(), topics.orders().valueSerde().serializer());
      clicks =
          driver.createInputTopic(
              "clicks", new StringSerializer(), topics.clicks().valueSerde().serializer());
      customers =
          driver.createInputTopic(
              "customers", new StringSerializer(), topics.customers().valueSerde().serializer());
      deadLetters =
          driver.createOutputTopic(
              TopicCatalog.DEAD_LETTERS, new ByteArrayDeserializer(), new ByteArrayDeserializer());
      lookup = new FeatureLookup(new DriverStores(driver), new FeatureRegistry(views, List.of()));
    }

    void pipe(Event e) {
      if (e.value instanceof Order o) {
        orders.pipeInput(e.key, o, e.time);
      } else {
        clicks.pipeInput(e.key, (Click) e.value, e.time);
      }
    }

    /** The dead-lettered events as topic/id, in order; each must be late. */
    List<String> deadLetters() {
      var refs = new ArrayList<String>();
      for (TestRecord<byte[], byte[]> r : deadLetters.readRecordsToList()) {
        String topic = header(r, DeadLetters.SOURCE_TOPIC);
        assertThat(header(r, DeadLetters.REASON)).startsWith("late:");
        String id =
            topic.equals("orders")
                ? topics
                    .orders()
                    .valueSerde()
                    .deserializer()
                    .deserialize(topic, r.value())
                    .getOrderId()
                : topics
                    .clicks()
                    .valueSerde()
                    .deserializer()
                    .deserialize(topic, r.value())
                    .getEventId();
        refs.add(topic + "/" + id);
      }
      return refs;
    }

    private static String header(TestRecord<byte[], byte[]> r, String name) {
      return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
      driver.close();
    }
  }

  // --- the reference

  /** What every feature should be, from the raw events and the documented rules. */
  static final class Reference {
    private final List<FeatureView> views;
    // Topic → grace of its validator; absent: no event of the topic is ever late.
    private final Map<String, Long> topicGrace = new HashMap<>();
    final List<Event> rejected = new ArrayList<>();
    // view/topic/key → events applied, in processing order.
    private final Map<String, List<Event>> lifetime = new HashMap<>();
    private final Map<String, List<Event>> windowed = new HashMap<>();
    private long streamTime = Long.MIN_VALUE;

    Reference(List<FeatureView> views) {
      this.views = views;
      for (String topic : List.of("orders", "clicks")) {
        List<FeatureView> readers =
            views.stream().filter(v -> v.source(topic).isPresent()).toList();
        if (!readers.isEmpty() && readers.stream().allMatch(v -> v.lifetime(topic).isEmpty())) {
          topicGrace.put(
              topic, readers.stream().mapToLong(v -> v.grace().toMillis()).max().getAsLong());
        }
      }
    }

    void process(Event e) {
      streamTime = Math.max(streamTime, e.time());
      Long grace = topicGrace.get(e.topic());
      if (grace != null && e.time() < streamTime - grace) {
        rejected.add(e);
        return;
      }
      for (FeatureView v : views) {
        if (v.source(e.topic()).isPresent()) {
          String id = v.name() + "/" + e.topic() + "/" + e.key();
          lifetime.computeIfAbsent(id, x -> new ArrayList<>()).add(e);
          if (e.time() >= streamTime - v.grace().toMillis()) {
            windowed.computeIfAbsent(id, x -> new ArrayList<>()).add(e);
          }
        }
      }
    }

    private List<Event> events(
        Map<String, List<Event>> state, FeatureView v, String topic, String key) {
      return state.getOrDefault(v.name() + "/" + topic + "/" + key, List.of());
    }

    Expected expect(FeatureView v, FeatureDefinition f, String key, long t) {
      if (f instanceof AggregateFeature a) {
        boolean life = a.window().isLifetime();
        List<Event> counted =
            events(life ? lifetime : windowed, v, a.source(), key).stream()
                .filter(e -> life || inWindow(a.window(), e.time(), t))
                .filter(e -> a.where() == null || a.where().accepts(e.field(a.where().field())))
                .filter(e -> a.field() == null || e.field(a.field()) != null)
                .toList();
        return aggregate(a, counted);
      }
      SessionFeature s = (SessionFeature) f;
      List<long[]> sessions = new ArrayList<>();
      events(windowed, v, s.source(), key).stream()
          .mapToLong(Event::time)
          .sorted()
          .forEach(
              time -> {
                long[] last = sessions.isEmpty() ? null : sessions.get(sessions.size() - 1);
                if (last != null && time - last[1] <= s.gap().toMillis()) {
                  last[1] = time;
                } else {
                  sessions.add(new long[] {time, time});
                }
              });
      List<long[]> counted =
          sessions.stream()
              .filter(x -> x[1] >= t - s.window().toMillis() + 1 && x[0] <= t)
              .toList();
      if (counted.isEmpty()) {
        return new Expected(s.defaultValue(), 0, Partials.NO_EVENT, "no session");
      }
      long newest = counted.stream().mapToLong(x -> x[1]).max().getAsLong();
      double value =
          switch (s.metric()) {
            case COUNT -> counted.size();
            case MEAN_DURATION ->
                counted.stream().mapToLong(x -> x[1] - x[0]).sum() / (double) counted.size() / 1000;
          };
      return new Expected(value, 1e-9 * value, newest, counted.size() + " sessions");
    }

    /** Tiles start at multiples of the tile size; a lookup at t merges [align(t-W+1), align(t)]. */
    private static boolean inWindow(FeatureWindow w, long time, long t) {
      long tile = w.tile().toMillis();
      return align(t - w.length().toMillis() + 1, tile) <= time
          && align(time, tile) <= align(t, tile);
    }

    private static long align(long time, long tile) {
      return time - Math.floorMod(time, tile);
    }

    private static Expected aggregate(AggregateFeature a, List<Event> counted) {
      if (counted.isEmpty()) {
        return new Expected(a.defaultValue(), 0, Partials.NO_EVENT, "no event");
      }
      long newest = counted.stream().mapToLong(Event::time).max().getAsLong();
      String detail = counted.size() + " events";
      if (a.aggregation() == Aggregation.COUNT) {
        return new Expected(counted.size(), 0, newest, detail);
      }
      if (a.aggregation() == Aggregation.COUNT_DISTINCT) {
        Set<String> values = new HashSet<>();
        counted.forEach(e -> values.add(String.valueOf(e.field(a.field()))));
        int n = values.size();
        return new Expected(n, n <= a.distinctExactLimit() ? 0 : 0.05 * n, newest, detail);
      }
      double[] x = counted.stream().mapToDouble(e -> number(e.field(a.field()))).toArray();
      BigDecimal sum = BigDecimal.ZERO;
      double absSum = 0;
      double maxAbs = 0;
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      double last = Double.NaN;
      long lastTime = Long.MIN_VALUE;
      for (int i = 0; i < x.length; i++) {
        sum = sum.add(new BigDecimal(x[i]));
        absSum += Math.abs(x[i]);
        maxAbs = Math.max(maxAbs, Math.abs(x[i]));
        min = Math.min(min, x[i]);
        max = Math.max(max, x[i]);
        // The newest event time wins; among equal times the one processed last.
        if (counted.get(i).time() >= lastTime) {
          lastTime = counted.get(i).time();
          last = x[i];
        }
      }
      int n = x.length;
      BigDecimal mean = sum.divide(BigDecimal.valueOf(n), MathContext.DECIMAL128);
      return switch (a.aggregation()) {
        case SUM -> new Expected(sum.doubleValue(), 1e-9 * absSum, newest, detail);
        case MEAN -> new Expected(mean.doubleValue(), 1e-9 * absSum / n, newest, detail);
        case MIN -> new Expected(min, 0, newest, detail);
        case MAX -> new Expected(max, 0, newest, detail);
        case LAST -> new Expected(last, 0, newest, detail);
        case STDDEV -> {
          if (n < 2) {
            yield new Expected(a.defaultValue(), 0, newest, detail);
          }
          BigDecimal squares = BigDecimal.ZERO;
          for (double v : x) {
            BigDecimal d = new BigDecimal(v).subtract(mean);
            squares = squares.add(d.multiply(d));
          }
          double sd =
              Math.sqrt(
                  squares.divide(BigDecimal.valueOf(n - 1), MathContext.DECIMAL128).doubleValue());
          // Relative 1e-6 plus a few ulps of the largest value: the best any double can do.
          yield new Expected(sd, 1e-6 * sd + 4 * Math.ulp(maxAbs), newest, detail);
        }
        default -> throw new IllegalStateException(a.aggregation().name());
      };
    }

    private static double number(Object v) {
      return v instanceof Instant i ? i.toEpochMilli() : ((Number) v).doubleValue();
    }
  }

  /** A feature's expected value, how far the served one may be from it, and its event time. */
  record Expected(double value, double tolerance, long eventTime, String detail) {}

  private static void compare(
      FeatureVector got, Reference reference, FeatureView view, List<String> mismatches) {
    for (FeatureDefinition f : view.features()) {
      Expected e = reference.expect(view, f, got.key(), got.asOf());
      double value = got.value(f.name());
      long time = got.eventTime(f.name());
      if (!(Math.abs(value - e.value()) <= e.tolerance()) || time != e.eventTime()) {
        mismatches.add(
            String.format(
                "%s.%s of %s at %s: got %s (event time %s), expected %s ± %s (event time %s; %s)",
                view.name(),
                f.name(),
                got.key(),
                Instant.ofEpochMilli(got.asOf()),
                value,
                time,
                e.value(),
                e.tolerance(),
                e.eventTime(),
                e.detail()));
      }
    }
  }
}
