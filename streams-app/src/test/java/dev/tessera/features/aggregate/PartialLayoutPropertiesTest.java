package dev.tessera.features.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.features.definition.AggregateFeature;
import dev.tessera.features.definition.Aggregation;
import dev.tessera.features.definition.FeatureWindow;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The partial aggregates against a brute-force reference computed from the raw events: tiles are
 * folded as the topology folds them, sent through their binary form, and merged as a lookup merges
 * them.
 */
class PartialLayoutPropertiesTest {
  private static final long T0 = Instant.parse("2026-11-22T00:00:00Z").toEpochMilli();
  private static final long MINUTE = 60_000L;
  private static final long HOUR = 3_600_000L;
  private static final long DAY = 86_400_000L;

  // Feature indexes in the layout; each feature declares its own default, so a served default is
  // recognisable.
  private static final int COUNT = 0;
  private static final int SUM = 1;
  private static final int MEAN = 2;
  private static final int MIN = 3;
  private static final int MAX = 4;
  private static final int STDDEV = 5;
  private static final int LAST = 6;
  private static final int DISTINCT = 7;
  private static final double[] DEFAULTS = {-1, -2, -3, -4, -5, -6, -7, -8};

  /** One event: its time, its numeric field (null: absent) and its category (null: absent). */
  record Event(long time, Double value, String category) {}

  /** Kinds of numeric values. */
  enum Values {
    /** Positive and negative, three decimals. */
    MIXED,
    /** 1e9 plus noise in [-1, 1]: a naive sum of squares loses the spread entirely. */
    LARGE,
    /** A few small integers: many equal values. */
    SMALL_INTEGERS
  }

  record Scenario(
      List<Event> events, long tile, long length, List<Long> lookups, int distinctLimit) {}

  @Property(tries = 500)
  void shouldMatchBruteForceForEveryAggregationOverRandomEvents(@ForAll("scenarios") Scenario s) {
    PartialLayout layout = layout(s.length(), s.tile(), s.distinctLimit());
    NavigableMap<Long, Partials> tiles = roundTrip(layout, tiles(layout, s.events(), s.tile()));

    var lookups = new ArrayList<>(s.lookups());
    long newest = s.events().stream().mapToLong(Event::time).max().orElse(T0);
    lookups.add(newest);
    lookups.add(newest + s.length());
    for (long t : lookups) {
      long from = alignDown(t - s.length() + 1, s.tile());
      List<Event> inWindow =
          s.events().stream()
              .filter(
                  e -> from <= e.time() && alignDown(e.time(), s.tile()) <= alignDown(t, s.tile()))
              .toList();
      assertMatchesReference(
          "window at " + t, layout, merge(layout, tiles, t, s.length(), s.tile()), inWindow);
    }

    // Lifetime: one partial taking every event, and every tile merged.
    Partials lifetime = layout.empty();
    s.events().forEach(e -> fold(layout, lifetime, e));
    assertMatchesReference("lifetime", layout, roundTrip(layout, lifetime), s.events());
    Partials allTiles = layout.empty();
    tiles.values().forEach(p -> layout.merge(allTiles, p));
    assertMatchesReference("all tiles", layout, allTiles, s.events());
  }

  @Property(tries = 300)
  void shouldGiveTheSameResultWhateverOrderAndGroupingTilesMergeIn(
      @ForAll("scenarios") Scenario s, @ForAll Random random) {
    PartialLayout layout = layout(s.length(), s.tile(), s.distinctLimit());
    NavigableMap<Long, Partials> tiles = roundTrip(layout, tiles(layout, s.events(), s.tile()));
    Partials inOrder = layout.empty();
    tiles.values().forEach(p -> layout.merge(inOrder, p));

    // Equal event times always share a tile, so even `last` has no ties between tiles.
    var shuffled = new ArrayList<>(tiles.values());
    Collections.shuffle(shuffled, random);
    int split = shuffled.isEmpty() ? 0 : random.nextInt(shuffled.size() + 1);
    Partials left = layout.empty();
    Partials right = layout.empty();
    shuffled.subList(0, split).forEach(p -> layout.merge(left, p));
    shuffled.subList(split, shuffled.size()).forEach(p -> layout.merge(right, p));
    Partials regrouped = roundTrip(layout, right);
    layout.merge(regrouped, roundTrip(layout, left));

    for (int i : new int[] {COUNT, MIN, MAX, LAST}) {
      assertThat(layout.result(regrouped, i))
          .as("feature %d", i)
          .isEqualTo(layout.result(inOrder, i));
    }
    double scale =
        s.events().stream()
            .filter(e -> e.value() != null)
            .mapToDouble(e -> Math.abs(e.value()))
            .sum();
    long valued = s.events().stream().filter(e -> e.value() != null).count();
    assertClose("sum", layout.result(regrouped, SUM), layout.result(inOrder, SUM), 1e-9 * scale);
    assertClose(
        "mean",
        layout.result(regrouped, MEAN),
        layout.result(inOrder, MEAN),
        1e-9 * scale / Math.max(1, valued));
    assertClose(
        "stddev",
        layout.result(regrouped, STDDEV),
        layout.result(inOrder, STDDEV),
        stddevTolerance(layout.result(inOrder, STDDEV), maxAbs(s.events())));
    if (inOrder.sets[0].isExact()) {
      assertThat(regrouped.sets[0].isExact()).isTrue();
      assertThat(layout.result(regrouped, DISTINCT)).isEqualTo(layout.result(inOrder, DISTINCT));
    }
    for (int i = 0; i < DEFAULTS.length; i++) {
      assertThat(layout.newestEventTime(regrouped, i))
          .isEqualTo(layout.newestEventTime(inOrder, i));
    }
  }

  /**
   * Thousands of distinct values spread over tiles that share some of them: exact while the union
   * holds at most the limit, an HLL estimate (lg k = 12, about 1.6% standard error) within 5%
   * beyond. A fixed seed keeps the estimate's error deterministic.
   */
  @Property(tries = 40, seed = "20261122")
  void shouldCountDistinctValuesExactlyUpToTheLimitThenEstimateWithinFivePercent(
      @ForAll @IntRange(min = 1, max = 20_000) int distinct,
      @ForAll("limits") int limit,
      @ForAll @IntRange(min = 1, max = 16) int tileCount,
      @ForAll Random random) {
    var window = FeatureWindow.sliding(Duration.ofHours(1), Duration.ofMinutes(1));
    PartialLayout layout =
        PartialLayout.of(
            List.of(
                new AggregateFeature(
                    "kinds", "orders", Aggregation.COUNT_DISTINCT, "c", null, window, -8, limit)));
    var tiles = new ArrayList<Partials>();
    for (int i = 0; i < tileCount; i++) {
      tiles.add(layout.empty());
    }
    String salt = Long.toHexString(random.nextLong());
    for (int v = 0; v < distinct; v++) {
      // Each value lands in one to three tiles, some twice in the same one.
      for (int copies = 1 + random.nextInt(3); copies > 0; copies--) {
        layout.addDistinct(tiles.get(random.nextInt(tileCount)), 0, T0 + v, salt + "-" + v);
      }
    }
    Partials merged = layout.empty();
    for (Partials tile : tiles) {
      layout.merge(merged, roundTrip(layout, tile));
    }
    merged = roundTrip(layout, merged);

    double count = layout.result(merged, 0);
    if (distinct <= limit) {
      assertThat(merged.sets[0].isExact()).isTrue();
      assertThat(count).isEqualTo(distinct);
    } else {
      assertThat(merged.sets[0].isExact()).isFalse();
      assertThat(Math.abs(count - distinct) / distinct)
          .as("relative error of %s for %d distinct values", count, distinct)
          .isLessThanOrEqualTo(0.05);
    }
  }

  @Provide
  Arbitrary<Integer> limits() {
    return Arbitraries.oneOf(
        List.of(
            Arbitraries.integers().between(1, 100),
            Arbitraries.of(1_000, 5_000, AggregateFeature.DEFAULT_DISTINCT_EXACT_LIMIT)));
  }

  @Example
  void shouldServeEveryDefaultForAnEmptyWindow() {
    PartialLayout layout = layout(HOUR, MINUTE, 10);
    NavigableMap<Long, Partials> tiles =
        roundTrip(layout, tiles(layout, List.of(new Event(T0, 5.0, "books")), MINUTE));

    Partials later = merge(layout, tiles, T0 + HOUR + MINUTE, HOUR, MINUTE);
    Partials earlier = merge(layout, tiles, T0 - 1, HOUR, MINUTE);
    for (Partials p : List.of(layout.empty(), later, earlier)) {
      assertThat(layout.isEmpty(p)).isTrue();
      for (int i = 0; i < DEFAULTS.length; i++) {
        assertThat(layout.result(p, i)).isEqualTo(DEFAULTS[i]);
        assertThat(layout.newestEventTime(p, i)).isEqualTo(Partials.NO_EVENT);
      }
    }
  }

  @Example
  void shouldServeDefaultsForFieldsNoEventHadAndStddevOfOneValue() {
    PartialLayout layout = layout(HOUR, MINUTE, 10);
    Partials nulls = layout.empty();
    fold(layout, nulls, new Event(T0, null, null));
    fold(layout, nulls, new Event(T0 + MINUTE, null, null));
    Partials one = layout.empty();
    fold(layout, one, new Event(T0, 4.5, "books"));

    Partials p = roundTrip(layout, nulls);
    assertThat(layout.result(p, COUNT)).isEqualTo(2.0);
    assertThat(layout.newestEventTime(p, COUNT)).isEqualTo(T0 + MINUTE);
    for (int i = SUM; i <= DISTINCT; i++) {
      assertThat(layout.result(p, i)).isEqualTo(DEFAULTS[i]);
      assertThat(layout.newestEventTime(p, i)).isEqualTo(Partials.NO_EVENT);
    }
    Partials q = roundTrip(layout, one);
    assertThat(layout.result(q, MEAN)).isEqualTo(4.5);
    assertThat(layout.result(q, STDDEV)).isEqualTo(DEFAULTS[STDDEV]);
    assertThat(layout.result(q, LAST)).isEqualTo(4.5);
    assertThat(layout.result(q, DISTINCT)).isEqualTo(1.0);
  }

  @Example
  void shouldKeepTheValueProcessedLastAmongEqualNewestTimes() {
    PartialLayout layout = layout(HOUR, MINUTE, 10);
    List<Event> events =
        List.of(
            new Event(T0 + 2 * MINUTE, 1.0, null),
            new Event(T0 + 5 * MINUTE, 2.0, null),
            new Event(T0 + 5 * MINUTE, 3.0, null),
            new Event(T0 + 4 * MINUTE, 4.0, null));
    NavigableMap<Long, Partials> tiles = roundTrip(layout, tiles(layout, events, MINUTE));
    Partials lifetime = layout.empty();
    events.forEach(e -> fold(layout, lifetime, e));

    assertThat(layout.result(merge(layout, tiles, T0 + 10 * MINUTE, HOUR, MINUTE), LAST))
        .isEqualTo(3.0);
    assertThat(layout.result(lifetime, LAST)).isEqualTo(3.0);
    // At T0 + 4m the 5-minute tile has not started: the newest counted event is the one at 4m.
    assertThat(layout.result(merge(layout, tiles, T0 + 4 * MINUTE, HOUR, MINUTE), LAST))
        .isEqualTo(4.0);
  }

  /**
   * 1e9 + k for k = 1..n has a sample stddev of sqrt(n (n + 1) / 12); sum-of-squares in doubles
   * would cancel every significant digit of the spread (1e18 against 1).
   */
  @Example
  void shouldKeepStddevAccurateForLargeValuesWithUnitSpread() {
    PartialLayout layout = layout(DAY, 5 * MINUTE, 10);
    int n = 2_000;
    var events = new ArrayList<Event>();
    for (int k = 1; k <= n; k++) {
      events.add(new Event(T0 + k * 7_919L, 1e9 + k, null));
    }
    Collections.shuffle(events, new Random(7));
    NavigableMap<Long, Partials> tiles = roundTrip(layout, tiles(layout, events, 5 * MINUTE));
    Partials all = layout.empty();
    tiles.values().forEach(p -> layout.merge(all, p));

    double expected = Math.sqrt(n * (n + 1.0) / 12.0);
    assertClose("stddev", layout.result(all, STDDEV), expected, 1e-9 * expected);
    assertClose("mean", layout.result(all, MEAN), 1e9 + (n + 1) / 2.0, 1e-6);
  }

  @Example
  void shouldReadBackEveryPartialExactlyFromItsBinaryForm() {
    PartialLayout layout = layout(HOUR, MINUTE, 3);
    Partials p = layout.empty();
    for (int i = 0; i < 50; i++) {
      fold(layout, p, new Event(T0 + i, i * 1.5 - 20, "c" + (i % 7)));
    }
    byte[] bytes = layout.serialize(p);
    Partials back = layout.deserialize(bytes);
    assertThat(back.slots).containsExactly(p.slots);
    assertThat(back.sets[0].isExact()).isFalse();
    assertThat(layout.deserialize(layout.serialize(back)).sets[0].count())
        .isEqualTo(p.sets[0].count());
    for (int i = 0; i < DEFAULTS.length; i++) {
      assertThat(layout.result(back, i)).isEqualTo(layout.result(p, i));
    }
  }

  // --- generators

  @Provide
  Arbitrary<Scenario> scenarios() {
    Arbitrary<Long> tiles =
        Arbitraries.oneOf(
            List.of(
                Arbitraries.of(1_000L, MINUTE, 5 * MINUTE, HOUR, 12 * HOUR),
                Arbitraries.longs().between(1, 2 * HOUR)));
    Arbitrary<Integer> tilesPerWindow = Arbitraries.integers().between(1, 64);
    Arbitrary<Long> spans =
        Arbitraries.oneOf(
            List.of(Arbitraries.longs().between(0, 3 * DAY), Arbitraries.longs().between(0, HOUR)));
    Arbitrary<Values> values = Arbitraries.of(Values.class);
    Arbitrary<Boolean> largeAlphabet = Arbitraries.of(false, true);
    Arbitrary<Integer> limits =
        Arbitraries.oneOf(
            List.of(
                Arbitraries.integers().between(1, 40),
                Arbitraries.just(AggregateFeature.DEFAULT_DISTINCT_EXACT_LIMIT)));
    return Combinators.combine(tiles, tilesPerWindow, spans, values, largeAlphabet, limits)
        .flatAs(
            (tile, k, span, kind, large, limit) -> {
              long length = k * tile;
              Arbitrary<List<Event>> events = events(span, tile, kind, large).list().ofMaxSize(300);
              Arbitrary<List<Long>> lookups =
                  Arbitraries.longs()
                      .between(T0 - length, T0 + span + length + 2 * tile)
                      .list()
                      .ofMinSize(1)
                      .ofMaxSize(6);
              return Combinators.combine(events, lookups)
                  .as((es, ls) -> new Scenario(es, tile, length, ls, limit));
            });
  }

  private static Arbitrary<Event> events(long span, long tile, Values kind, boolean large) {
    Arbitrary<Long> offsets = Arbitraries.longs().between(0, span);
    Arbitrary<Long> times =
        Arbitraries.oneOf(
            List.of(
                offsets.map(o -> T0 + o),
                // Whole minutes: equal times, so `last` ties.
                offsets.map(o -> T0 + o - Math.floorMod(o, MINUTE)),
                // The first millisecond of a tile or the last of the one before.
                offsets.map(o -> alignDown(T0 + o, tile) - (o & 1))));
    Arbitrary<Double> values =
        switch (kind) {
          case MIXED -> Arbitraries.doubles().between(-1e4, 1e4).ofScale(3);
          case LARGE -> Arbitraries.doubles().between(-1, 1).ofScale(3).map(d -> 1e9 + d);
          case SMALL_INTEGERS -> Arbitraries.integers().between(-3, 3).map(i -> (double) i);
        };
    Arbitrary<String> categories =
        large
            ? Arbitraries.integers().between(0, 4_999).map(i -> "c" + i)
            : Arbitraries.of("books", "games", "music", "toys", "garden");
    return Combinators.combine(times, values.injectNull(0.1), categories.injectNull(0.1))
        .as(Event::new);
  }

  // --- the code under test, driven as the topology and the lookup drive it

  private static PartialLayout layout(long length, long tile, int distinctLimit) {
    var w = FeatureWindow.sliding(Duration.ofMillis(length), Duration.ofMillis(tile));
    return PartialLayout.of(
        List.of(
            new AggregateFeature("n", "orders", Aggregation.COUNT, null, null, w, -1, 0),
            new AggregateFeature("total", "orders", Aggregation.SUM, "v", null, w, -2, 0),
            new AggregateFeature("avg", "orders", Aggregation.MEAN, "v", null, w, -3, 0),
            new AggregateFeature("low", "orders", Aggregation.MIN, "v", null, w, -4, 0),
            new AggregateFeature("high", "orders", Aggregation.MAX, "v", null, w, -5, 0),
            new AggregateFeature("spread", "orders", Aggregation.STDDEV, "v", null, w, -6, 0),
            new AggregateFeature("latest", "orders", Aggregation.LAST, "v", null, w, -7, 0),
            new AggregateFeature(
                "kinds", "orders", Aggregation.COUNT_DISTINCT, "c", null, w, -8, distinctLimit)));
  }

  /** As SourceAggregator folds an event: count takes every event, the others a present field. */
  private static void fold(PartialLayout layout, Partials p, Event e) {
    layout.add(p, COUNT, e.time(), 0.0);
    if (e.value() != null) {
      for (int i = SUM; i <= LAST; i++) {
        layout.add(p, i, e.time(), e.value());
      }
    }
    if (e.category() != null) {
      layout.addDistinct(p, DISTINCT, e.time(), e.category());
    }
  }

  private static NavigableMap<Long, Partials> tiles(
      PartialLayout layout, List<Event> events, long tile) {
    var tiles = new TreeMap<Long, Partials>();
    for (Event e : events) {
      fold(layout, tiles.computeIfAbsent(alignDown(e.time(), tile), t -> layout.empty()), e);
    }
    return tiles;
  }

  /** As ViewReader merges: the tiles starting in [align(t - W + 1), t], oldest first. */
  private static Partials merge(
      PartialLayout layout, NavigableMap<Long, Partials> tiles, long t, long length, long tile) {
    Partials merged = layout.empty();
    for (Partials p : tiles.subMap(alignDown(t - length + 1, tile), true, t, true).values()) {
      for (int i = 0; i < DEFAULTS.length; i++) {
        layout.merge(merged, p, i);
      }
    }
    return merged;
  }

  /**
   * Through the binary form, as a store holds it. What is read back holds the same slots and gives
   * the same results; while every set is exact, writing it again gives the same bytes (a sketch's
   * compact form lists its coupons in no fixed order).
   */
  private static Partials roundTrip(PartialLayout layout, Partials p) {
    byte[] bytes = layout.serialize(p);
    Partials back = layout.deserialize(bytes);
    assertThat(back.slots).containsExactly(p.slots);
    for (int i = 0; i < layout.features().size(); i++) {
      assertThat(layout.result(back, i)).isEqualTo(layout.result(p, i));
      assertThat(back.sets.length == 0 || back.sets[0].isExact())
          .isEqualTo(p.sets.length == 0 || p.sets[0].isExact());
    }
    if (Arrays.stream(p.sets).allMatch(DistinctValues::isExact)) {
      assertThat(layout.serialize(back)).containsExactly(bytes);
    }
    return back;
  }

  private static NavigableMap<Long, Partials> roundTrip(
      PartialLayout layout, NavigableMap<Long, Partials> tiles) {
    var back = new TreeMap<Long, Partials>();
    for (Map.Entry<Long, Partials> e : tiles.entrySet()) {
      back.put(e.getKey(), roundTrip(layout, e.getValue()));
    }
    return back;
  }

  private static long alignDown(long time, long tile) {
    return time - Math.floorMod(time, tile);
  }

  // --- the reference

  private static void assertMatchesReference(
      String where, PartialLayout layout, Partials p, List<Event> events) {
    double[] got = new double[DEFAULTS.length];
    for (int i = 0; i < got.length; i++) {
      got[i] = layout.result(p, i);
    }
    Supplier<String> context = () -> where + ", events " + events;
    if (events.isEmpty()) {
      assertThat(got).as(context).containsExactly(DEFAULTS);
      return;
    }
    assertThat(got[COUNT]).as(context).isEqualTo(events.size());
    assertThat(layout.newestEventTime(p, COUNT))
        .isEqualTo(events.stream().mapToLong(Event::time).max().getAsLong());

    List<Event> valued = events.stream().filter(e -> e.value() != null).toList();
    if (valued.isEmpty()) {
      for (int i = SUM; i <= LAST; i++) {
        assertThat(got[i]).as(context).isEqualTo(DEFAULTS[i]);
        assertThat(layout.newestEventTime(p, i)).isEqualTo(Partials.NO_EVENT);
      }
    } else {
      BigDecimal sum = BigDecimal.ZERO;
      double absSum = 0;
      double maxAbs = maxAbs(valued);
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      Event last = null;
      for (Event e : valued) {
        sum = sum.add(new BigDecimal(e.value()));
        absSum += Math.abs(e.value());
        min = Math.min(min, e.value());
        max = Math.max(max, e.value());
        if (last == null || e.time() >= last.time()) {
          last = e;
        }
      }
      int n = valued.size();
      BigDecimal mean = sum.divide(BigDecimal.valueOf(n), MathContext.DECIMAL128);
      assertClose(() -> context.get() + " sum", got[SUM], sum.doubleValue(), 1e-9 * absSum);
      assertClose(() -> context.get() + " mean", got[MEAN], mean.doubleValue(), 1e-9 * absSum / n);
      assertThat(got[MIN]).as(context).isEqualTo(min);
      assertThat(got[MAX]).as(context).isEqualTo(max);
      assertThat(got[LAST]).as(context).isEqualTo(last.value());
      if (n < 2) {
        assertThat(got[STDDEV]).as(context).isEqualTo(DEFAULTS[STDDEV]);
      } else {
        BigDecimal squares = BigDecimal.ZERO;
        for (Event e : valued) {
          BigDecimal d = new BigDecimal(e.value()).subtract(mean);
          squares = squares.add(d.multiply(d));
        }
        double stddev =
            Math.sqrt(
                squares.divide(BigDecimal.valueOf(n - 1), MathContext.DECIMAL128).doubleValue());
        assertClose(
            () -> context.get() + " stddev", got[STDDEV], stddev, stddevTolerance(stddev, maxAbs));
      }
      long newest = last.time();
      for (int i = SUM; i <= LAST; i++) {
        assertThat(layout.newestEventTime(p, i)).isEqualTo(newest);
      }
    }

    Set<String> categories = new HashSet<>();
    long newestCategory = Partials.NO_EVENT;
    for (Event e : events) {
      if (e.category() != null) {
        categories.add(e.category());
        newestCategory = Math.max(newestCategory, e.time());
      }
    }
    assertThat(layout.newestEventTime(p, DISTINCT)).isEqualTo(newestCategory);
    int limit = layout.features().get(DISTINCT).distinctExactLimit();
    if (categories.isEmpty()) {
      assertThat(got[DISTINCT]).as(context).isEqualTo(DEFAULTS[DISTINCT]);
    } else if (categories.size() <= limit) {
      assertThat(got[DISTINCT]).as(context).isEqualTo(categories.size());
      assertThat(p.sets[0].isExact()).isTrue();
    } else {
      assertThat(p.sets[0].isExact()).isFalse();
      assertClose(
          () -> context.get() + " distinct",
          got[DISTINCT],
          categories.size(),
          0.05 * categories.size());
    }
  }

  /**
   * Relative 1e-6, plus a few units in the last place of the largest value: no algorithm in doubles
   * knows the mean of values near 1e9 better than that (values 1 ulp apart have a stddev of 1 ulp).
   * A sum of squares in doubles would be off by far more: 1e18 squared terms lose the spread.
   */
  private static double stddevTolerance(double stddev, double maxAbs) {
    return 1e-6 * Math.abs(stddev) + 4 * Math.ulp(maxAbs);
  }

  private static double maxAbs(List<Event> events) {
    return events.stream()
        .filter(e -> e.value() != null)
        .mapToDouble(e -> Math.abs(e.value()))
        .max()
        .orElse(0);
  }

  private static void assertClose(String what, double actual, double expected, double tolerance) {
    assertClose(() -> what, actual, expected, tolerance);
  }

  private static void assertClose(
      Supplier<String> what, double actual, double expected, double tolerance) {
    assertThat(Math.abs(actual - expected))
        .as(
            () ->
                what.get()
                    + ": got "
                    + actual
                    + ", expected "
                    + expected
                    + " (tolerance "
                    + tolerance
                    + ")")
        .isLessThanOrEqualTo(tolerance);
  }
}
