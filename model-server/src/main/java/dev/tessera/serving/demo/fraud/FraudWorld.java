package dev.tessera.serving.demo.fraud;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A synthetic card-fraud world in the manner of Tecton's fraud demo: users {@code U-1..U-n} in
 * eight European countries, their card transactions over {@code days} days up to {@code end}, and a
 * label per transaction saying whether it was fraud. Pure: no I/O, no clock; the same {@code
 * (users, days, seed, end)} gives the same world, record for record.
 *
 * <p>Each user lives near a real city of their country (DE, FR, ES, IT, NL, PL, SE, GB; ±0.3°),
 * shops 0–4 times a day (Poisson, a rate of their own) at 5–30 merchants of their own, less than 30
 * km from home, for log-normal amounts around 40 EUR. About 10% of users move to another country
 * once: a second version of their row, after which they shop near the new home at new merchants.
 *
 * <p>The world is imperfect on purpose, so that a model does not find fraud trivially separable
 * (the demo model's holdout AUC should be high, but not 1):
 *
 * <ul>
 *   <li><b>Travel</b>: about 3% of the legitimate transactions are made while travelling: a day
 *       away, 1–3 transactions hours apart in a city more than 300 km from home (anywhere in the
 *       world), at merchants of it the user never uses otherwise, for normal amounts (times 1–1.5).
 *   <li><b>Fraud</b>: about 3% of users have their card abused once, twice or three times. Of these
 *       episodes about 30% are local online fraud (card not present): 2–6 {@code web} transactions
 *       within 5 minutes, located at the card's billing address (less than 25 km from home), for
 *       2–6 times the usual amount. The others happen more than 850 km from every home the user
 *       has: 80% of them bursts of 3–8 transactions within 2 minutes for 3–10 times the usual
 *       amount, 20% slow fraud, 1–2 transactions 2–8 hours apart for 2–6 times. Fraud is always at
 *       merchants the user never uses in legitimate life (neither everyday nor on a trip).
 * </ul>
 *
 * <p>So distance from home, velocity and amount are strong signals that overlap: a traveller is far
 * from home, online fraud is not, slow fraud is not fast. See docs/DEMO-WORLD.md.
 *
 * <pre>{@code
 * FraudWorld world = FraudWorld.create(1_000, 30, 42, Instant.parse("2026-06-01T00:00:00Z"));
 * try (Stream<FraudEvent> history = world.history()) {
 *   history.forEach(sink::accept);           // users, then transactions and moves by event time
 * }
 * List<FraudLabel> labels = world.labels();  // one per transaction of the history
 * FraudLive live = world.live(world.end(), 10); // 10 transactions/s of event time after the end
 * }</pre>
 */
public final class FraudWorld {
  private final int users;
  private final int days;
  private final long seed;
  private final Instant start;
  private final Instant end;
  private final List<Profile> profiles;

  private FraudWorld(int users, int days, long seed, Instant end) {
    this.users = users;
    this.days = days;
    this.seed = seed;
    this.end = end;
    this.start = end.minus(Duration.ofDays(days));
    var drawn = new ArrayList<Profile>(users);
    for (int i = 0; i < users; i++) {
      drawn.add(Profile.draw(seed, i, start.toEpochMilli(), end.toEpochMilli()));
    }
    this.profiles = List.copyOf(drawn);
  }

  /**
   * The world of {@code users} users and {@code days} days of history ending at {@code end}
   * (exclusive, truncated to the millisecond).
   *
   * @throws IllegalArgumentException if {@code users < 1} or {@code days < 1}
   */
  public static FraudWorld create(int users, int days, long seed, Instant end) {
    if (users < 1) {
      throw new IllegalArgumentException("Need at least one user, got " + users);
    }
    if (days < 1) {
      throw new IllegalArgumentException("Need at least one day of history, got " + days);
    }
    return new FraudWorld(users, days, seed, end.truncatedTo(ChronoUnit.MILLIS));
  }

  public int userCount() {
    return users;
  }

  public int days() {
    return days;
  }

  public long seed() {
    return seed;
  }

  /** Where the history starts: {@code end - days}. Every user's first row is older. */
  public Instant start() {
    return start;
  }

  /** Where the history ends (exclusive) and the live phase may begin. */
  public Instant end() {
    return end;
  }

  /** The first version of every user's row, in user order. */
  public List<FraudUser> users() {
    return profiles.stream().map(p -> p.first).toList();
  }

  /** The second versions: the rows of the users who move, in user order. */
  public List<FraudUser> moves() {
    return profiles.stream().filter(p -> p.moved != null).map(p -> p.moved).toList();
  }

  /** The users whose card is stolen during the history, in user order. */
  public List<String> victims() {
    return profiles.stream().filter(p -> p.episodes.length > 0).map(p -> p.userId).toList();
  }

  /** The number of fraud episodes (of all kinds) in the history. */
  public int episodeCount() {
    return profiles.stream().mapToInt(p -> p.episodes.length).sum();
  }

  /**
   * Every merchant id a user uses in everyday life (before and after a move; not those of their
   * trips).
   */
  public List<String> ownMerchants(String userId) {
    for (Profile p : profiles) {
      if (p.userId.equals(userId)) {
        return Arrays.stream(p.ownMerchants()).mapToObj(Geo::merchantId).toList();
      }
    }
    throw new IllegalArgumentException("No user " + userId + " in this world");
  }

  /**
   * Every record of the history in event-time order: first every user's first row (by {@code
   * updated_at}, all before {@link #start()}), then transactions and the rows of users who move, in
   * {@code [start, end)}. Transaction ids {@code T-000001, T-000002, …} follow that order.
   * Generated lazily, a day at a time, so a large world streams in little memory; each call
   * generates it anew.
   */
  public Stream<FraudEvent> history() {
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(
            new HistoryIterator(),
            Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.IMMUTABLE),
        false);
  }

  /** The transactions of the history, oldest first (collects {@link #history()}). */
  public List<FraudTransaction> transactions() {
    try (Stream<FraudEvent> history = history()) {
      return history
          .filter(FraudTransaction.class::isInstance)
          .map(FraudTransaction.class::cast)
          .toList();
    }
  }

  /** One label per transaction of the history, in the same order. */
  public List<FraudLabel> labels() {
    return transactions().stream().map(FraudLabel::of).toList();
  }

  /**
   * The live phase: an endless continuation after the history, one transaction every {@code 1 /
   * transactionsPerSecond} seconds of event time from {@code from} (see {@link FraudLive}).
   * Deterministic for the world and {@code (from, transactionsPerSecond)}.
   *
   * @throws IllegalArgumentException if {@code from} is before {@link #end()} or the rate is not
   *     positive
   */
  public FraudLive live(Instant from, double transactionsPerSecond) {
    if (from.isBefore(end)) {
      throw new IllegalArgumentException(
          "The live phase starts at or after the end of the history " + end + ", not " + from);
    }
    return new FraudLive(
        profiles, seed, from.truncatedTo(ChronoUnit.MILLIS).toEpochMilli(), transactionsPerSecond);
  }

  /** Users first, then a UTC day of every user's events at a time. */
  private final class HistoryIterator implements Iterator<FraudEvent> {
    private static final Comparator<Profile.Draft> BY_TIME =
        Comparator.comparingLong((Profile.Draft d) -> d.time);

    private final long endMillis = end.toEpochMilli();
    private List<FraudEvent> batch = new ArrayList<>();
    private int position;
    private long chunkStart = start.toEpochMilli();
    private long transactions;

    HistoryIterator() {
      var rows = new ArrayList<Profile.Draft>(users);
      for (Profile p : profiles) {
        rows.add(Profile.Draft.of(p.first, p.index));
      }
      rows.sort(BY_TIME); // stable: equal times keep user order
      rows.forEach(d -> batch.add(d.build(null)));
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
    public FraudEvent next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return batch.get(position++);
    }

    private void nextChunk() {
      long until = Math.min(endMillis, (Math.floorDiv(chunkStart, Profile.DAY) + 1) * Profile.DAY);
      var drafts = new ArrayList<Profile.Draft>();
      for (Profile p : profiles) {
        p.events(chunkStart, until, drafts);
      }
      // Stable: at equal times the order is user order, then the order a user made them in.
      drafts.sort(BY_TIME);
      batch = new ArrayList<>(drafts.size());
      position = 0;
      for (Profile.Draft d : drafts) {
        batch.add(
            d.isTransaction() ? d.build(String.format("T-%06d", ++transactions)) : d.build(null));
      }
      chunkStart = until;
    }
  }
}
