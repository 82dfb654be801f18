package dev.tessera.serving.demo.world;

import dev.tessera.schemas.Click;
import dev.tessera.schemas.Customer;
import dev.tessera.schemas.Order;
import dev.tessera.schemas.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A synthetic e-commerce world for the churn use case: customers {@code C-1..C-n} with a hidden
 * churn propensity, their orders and clicks over {@code days} days up to {@code end}, and churn
 * labels. Pure: no I/O, no clock; the same {@code (customers, days, seed, end)} gives the same
 * world, event for event.
 *
 * <p>Each customer has a base order rate, basket size and browsing rate, a propensity (the
 * probability of leaving within a month, higher for free-tier and new customers) and a churn time
 * drawn from it, which often lies after {@code end}. Some weeks before churning a customer
 * disengages: sessions, then orders, drop to 60% of their usual rate and then dwindle to nothing,
 * sessions get shorter and baskets smaller; at the churn time everything stops. About three
 * churners in ten leave abruptly with next to no warning, and every customer has occasional lulls
 * of a few weeks, so the problem is learnable but not trivial. See docs/DEMO-WORLD.md.
 *
 * <p>Labels: weekly snapshots {@code ts} at 00:00 UTC, 7 days apart, from the latest with {@code ts
 * + 30 days < end} back to the earliest at least 30 days after the start (so every 30-day window
 * lies inside the history). Each customer who has not churned by {@code ts} gets a label there: 1
 * if they churn in {@code (ts, ts + 30 days]}, else 0. Only snapshots whose horizon closed before
 * {@code end} are labelled, so no label needs anything after {@code end}.
 *
 * <pre>{@code
 * ChurnWorld world = ChurnWorld.create(1_000, 120, 42, Instant.parse("2026-06-01T00:00:00Z"));
 * try (Stream<WorldEvent> history = world.history()) {
 *   history.forEach(sink::accept);          // customers, orders, clicks, outcomes by event time
 * }
 * List<WorldLabel> labels = world.labels(); // the training label set
 * Iterator<WorldEvent> live = world.live(world.end(), 10); // 10 events/s of event time after end
 * }</pre>
 */
public final class ChurnWorld {
  /** How far ahead a label looks: churned within 30 days after the snapshot. */
  public static final Duration LABEL_HORIZON = Duration.ofDays(30);

  /** Time between two snapshots of a customer. */
  public static final Duration SNAPSHOT_INTERVAL = Duration.ofDays(7);

  /** The {@code source} of the world's {@link Outcome} records. */
  public static final String OUTCOME_SOURCE = "demo-world";

  /** Lulls are drawn this far past the end, for the live phase. */
  private static final Duration LIVE_SPAN = Duration.ofDays(730);

  private final int customers;
  private final int days;
  private final long seed;
  private final Instant start;
  private final Instant end;
  private final List<Persona> personas;

  private ChurnWorld(int customers, int days, long seed, Instant end) {
    this.customers = customers;
    this.days = days;
    this.seed = seed;
    this.end = end;
    this.start = end.minus(Duration.ofDays(days));
    long lullsUntil = end.plus(LIVE_SPAN).toEpochMilli();
    var drawn = new ArrayList<Persona>(customers);
    for (int i = 0; i < customers; i++) {
      drawn.add(Persona.draw(seed, i, start.toEpochMilli(), lullsUntil));
    }
    this.personas = List.copyOf(drawn);
  }

  /**
   * The world of {@code customers} customers and {@code days} days of history ending at {@code end}
   * (exclusive).
   *
   * @throws IllegalArgumentException if {@code customers < 1} or {@code days < 1}
   */
  public static ChurnWorld create(int customers, int days, long seed, Instant end) {
    if (customers < 1) {
      throw new IllegalArgumentException("Need at least one customer, got " + customers);
    }
    if (days < 1) {
      throw new IllegalArgumentException("Need at least one day of history, got " + days);
    }
    return new ChurnWorld(customers, days, seed, end.truncatedTo(ChronoUnit.MILLIS));
  }

  public int customerCount() {
    return customers;
  }

  public int days() {
    return days;
  }

  public long seed() {
    return seed;
  }

  /** Where the history starts: {@code end - days}. Every customer signed up before it. */
  public Instant start() {
    return start;
  }

  /** Where the history ends (exclusive) and the live phase may begin. */
  public Instant end() {
    return end;
  }

  /** The customers table, one row per customer, in customer order. */
  public List<Customer> customers() {
    return personas.stream().map(p -> p.row).toList();
  }

  /** The hidden ground truth per customer, in customer order; never written anywhere. */
  public List<CustomerTruth> truth() {
    return personas.stream().map(Persona::truth).toList();
  }

  /**
   * Every record of the history in event-time order: first the customer rows (by {@code signup_ts},
   * all before {@link #start()}), then orders, clicks and outcomes in {@code [start, end)}.
   * Generated lazily, a day at a time, so a large world streams in little memory; each call
   * generates it anew.
   */
  public Stream<WorldEvent> history() {
    var iterator = new HistoryIterator();
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(
            iterator, Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.IMMUTABLE),
        false);
  }

  /** The orders of the history, oldest first (collects {@link #history()}). */
  public List<Order> orders() {
    return history()
        .map(WorldEvent::value)
        .filter(Order.class::isInstance)
        .map(Order.class::cast)
        .toList();
  }

  /** The clicks of the history, oldest first (collects {@link #history()}). */
  public List<Click> clicks() {
    return history()
        .map(WorldEvent::value)
        .filter(Click.class::isInstance)
        .map(Click.class::cast)
        .toList();
  }

  /** The snapshot times labels are taken at, oldest first; empty when the history is too short. */
  public List<Instant> snapshots() {
    Instant earliest = start.plus(LABEL_HORIZON);
    // The latest 00:00 UTC whose horizon closes strictly before the end.
    Instant latest = end.minus(LABEL_HORIZON).minusMillis(1).truncatedTo(ChronoUnit.DAYS);
    var times = new ArrayList<Instant>();
    for (Instant t = latest; !t.isBefore(earliest); t = t.minus(SNAPSHOT_INTERVAL)) {
      times.add(0, t);
    }
    return times;
  }

  /**
   * The training labels, by snapshot time and then customer. A customer who churned at or before a
   * snapshot has no label there: they are no longer a customer to score.
   */
  public List<WorldLabel> labels() {
    var labels = new ArrayList<WorldLabel>();
    for (Instant ts : snapshots()) {
      long t = ts.toEpochMilli();
      long horizon = ts.plus(LABEL_HORIZON).toEpochMilli();
      for (Persona p : personas) {
        if (p.churnAt > t) {
          labels.add(new WorldLabel(p.customerId, ts, p.churnAt <= horizon ? 1 : 0));
        }
      }
    }
    return labels;
  }

  /** The labels as {@code outcomes} records ({@link WorldLabel#toOutcome()}), by outcome time. */
  public List<Outcome> outcomes() {
    return labels().stream().map(WorldLabel::toOutcome).toList();
  }

  /**
   * The live phase: an endless continuation after the history, one event every {@code 1 /
   * eventsPerSecond} seconds of event time from {@code from}, by the same behaviour model (see
   * {@link LiveWorld}). Deterministic for the world and {@code (from, eventsPerSecond)}.
   *
   * @throws IllegalArgumentException if {@code from} is before {@link #end()} or the rate is not
   *     positive
   */
  public LiveWorld live(Instant from, double eventsPerSecond) {
    if (from.isBefore(end)) {
      throw new IllegalArgumentException(
          "The live phase starts at or after the end of the history " + end + ", not " + from);
    }
    return new LiveWorld(personas, seed, from.truncatedTo(ChronoUnit.MILLIS), eventsPerSecond);
  }

  /** Customers first, then a day of every customer's timeline and the outcomes at a time. */
  private final class HistoryIterator implements Iterator<WorldEvent> {
    private static final Comparator<WorldEvent> BY_TIME = Comparator.comparing(WorldEvent::time);

    private final List<CustomerTimeline> timelines = new ArrayList<>(customers);
    private final List<Outcome> outcomes = outcomes();
    private final long endMillis = end.toEpochMilli();
    private List<WorldEvent> batch = new ArrayList<>();
    private int position;
    private int nextOutcome;
    private long chunkStart = start.toEpochMilli();

    HistoryIterator() {
      for (Persona p : personas) {
        timelines.add(new CustomerTimeline(p, start.toEpochMilli(), endMillis));
        batch.add(WorldEvent.of(p.row));
      }
      batch.sort(BY_TIME); // stable: equal signup times keep customer order
    }

    @Override
    public boolean hasNext() {
      while (position == batch.size()) {
        if (chunkStart >= endMillis) {
          return false;
        }
        nextChunk();
      }
      return true;
    }

    @Override
    public WorldEvent next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return batch.get(position++);
    }

    private void nextChunk() {
      long until = Math.min(endMillis, chunkStart + Persona.DAY);
      batch = new ArrayList<>();
      position = 0;
      for (CustomerTimeline timeline : timelines) {
        timeline.advance(until, batch);
      }
      while (nextOutcome < outcomes.size()
          && outcomes.get(nextOutcome).getOutcomeTs().toEpochMilli() < until) {
        batch.add(WorldEvent.of(outcomes.get(nextOutcome++)));
      }
      // Stable: at equal times the order is customer order, then outcomes, every run.
      batch.sort(BY_TIME);
      chunkStart = until;
    }
  }
}
