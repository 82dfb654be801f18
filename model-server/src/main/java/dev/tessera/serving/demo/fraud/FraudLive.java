package dev.tessera.serving.demo.fraud;

import dev.tessera.serving.demo.LivePacing;
import dev.tessera.serving.demo.Randoms;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * The live phase of a {@link FraudWorld}: transactions at a fixed rate of event time after the
 * history. Transaction {@code k} has event time {@code from + k / rate}; a writer that sends it at
 * wall-clock {@code from + k / rate} (with {@code from} = now) thus produces transactions stamped
 * with the time they are sent.
 *
 * <p>The rate is the caller's, so the live phase keeps the model's proportions: each pick is a user
 * picked in proportion to how often they shop, usually an everyday transaction near their latest
 * home, sometimes a trip (1–3 legitimate transactions far from home, hours apart: about 3% of the
 * legitimate transactions). One pick in 250 instead starts a fraud episode on that user's card, of
 * any of the three kinds (a far-away burst, slow far-away fraud, local online fraud). The
 * transactions a pick plans keep their offsets from the pick: each comes out in the first slot at
 * or after its time, before any new pick, so a burst stays within its minutes when the rate allows
 * and the second transaction of a trip or of slow fraud comes hours later. Live ids are {@code
 * T-L000001, …}. Users do not move in the live phase, and it never ends.
 *
 * <pre>{@code
 * FraudLive live = world.live(Instant.now(), 20); // 20 transactions/s
 * for (int i = 0; i < 100; i++) {
 *   FraudTransaction t = live.next();
 * }
 * }</pre>
 *
 * <p>Not thread-safe.
 */
public final class FraudLive implements LivePacing.Live<FraudTransaction> {
  static final double FRAUD_CHANCE = 1 / 250.0;

  /** A pick that is not fraud is a trip this often, for trips to be 3% of the legitimate ones. */
  static final double TRIP_CHANCE = Profile.tripChance(1);

  private static final long LIVE_STREAM = 7;

  private final List<Profile> profiles;
  private final SplittableRandom random;
  private final long from;
  private final double millisPerEvent;
  private final double[] cumulative;
  private final PriorityQueue<Planned> planned =
      new PriorityQueue<>(Comparator.comparingLong(Planned::due).thenComparingLong(Planned::order));
  private long emitted;
  private long plannedSoFar;

  /** A transaction planned for {@code due} or the first slot after it. */
  private record Planned(long due, long order, Profile.Draft draft) {}

  FraudLive(List<Profile> profiles, long seed, long from, double transactionsPerSecond) {
    if (!(transactionsPerSecond > 0) || Double.isInfinite(transactionsPerSecond)) {
      throw new IllegalArgumentException(
          "Live transactions per second must be a positive number, got " + transactionsPerSecond);
    }
    this.profiles = profiles;
    this.random = Randoms.derive(seed, LIVE_STREAM, from);
    this.from = from;
    this.millisPerEvent = 1000 / transactionsPerSecond;
    this.cumulative = new double[profiles.size()];
    double sum = 0;
    for (int i = 0; i < profiles.size(); i++) {
      sum += profiles.get(i).perDay;
      cumulative[i] = sum;
    }
  }

  /** Event time of the next transaction. */
  public Instant nextTime() {
    return Instant.ofEpochMilli(time(emitted));
  }

  /** Transactions returned so far. */
  public long emitted() {
    return emitted;
  }

  /** Always true: the live phase is endless. */
  @Override
  public boolean hasNext() {
    return true;
  }

  @Override
  public FraudTransaction next() {
    long t = time(emitted);
    if (planned.isEmpty() || planned.peek().due() > t) {
      plan(t);
    }
    emitted++;
    return (FraudTransaction) planned.poll().draft().at(t).build(String.format("T-L%06d", emitted));
  }

  private long time(long k) {
    return from + (long) Math.floor(k * millisPerEvent);
  }

  private void plan(long t) {
    double pick = random.nextDouble() * cumulative[cumulative.length - 1];
    int low = 0;
    int high = cumulative.length - 1;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (cumulative[mid] > pick) {
        high = mid;
      } else {
        low = mid + 1;
      }
    }
    Profile p = profiles.get(low);
    SplittableRandom r = random.split();
    List<Profile.Draft> drafts;
    if (r.nextDouble() < FRAUD_CHANCE) {
      drafts = p.episode(Profile.Kind.draw(r), t, r);
    } else if (r.nextDouble() < TRIP_CHANCE) {
      drafts = p.trip(t, r);
    } else {
      drafts = List.of(p.normal(t, r));
    }
    for (Profile.Draft d : drafts) { // the first is at t
      planned.add(new Planned(d.time, plannedSoFar++, d));
    }
  }
}
