package dev.tessera.serving.demo.world;

import dev.tessera.serving.demo.LivePacing;
import dev.tessera.serving.demo.Randoms;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.function.LongFunction;

/**
 * The live phase of a {@link ChurnWorld}: events at a fixed rate of event time after the history,
 * by the same behaviour model. Event {@code k} has event time {@code from + k / rate}; a writer
 * that sends event {@code k} at wall-clock {@code from + k / rate} (with {@code from} = now) thus
 * produces events stamped with the time they are sent.
 *
 * <p>The rate is the caller's, not the model's: a few hundred customers order a few times a month,
 * far less than a demo wants to see. So the live phase keeps the model's proportions instead. At
 * each event it picks a customer and an activity (an order, or a browsing session) in proportion to
 * what the model expects of them at that moment: customers who have churned never appear again,
 * fading customers appear less and buy less, lulls apply. A session's clicks and an order's
 * checkout clicks come out as consecutive events. Because live time is compressed, a customer's
 * live sessions may come closer together than the 30-minute session gap, and then count as one
 * session.
 *
 * <pre>{@code
 * LiveWorld live = world.live(Instant.now(), 20); // 20 events/s
 * for (int i = 0; i < 100 && live.hasNext(); i++) {
 *   WorldEvent e = live.next();
 * }
 * }</pre>
 *
 * <p>Ends ({@link #hasNext()} false) only when every customer has churned. Not thread-safe.
 */
public final class LiveWorld implements LivePacing.Live<WorldEvent> {
  private static final long LIVE_STREAM = 7;

  private final List<Persona> personas;
  private final SplittableRandom random;
  private final long from;
  private final double millisPerEvent;
  private final ArrayDeque<LongFunction<WorldEvent>> planned = new ArrayDeque<>();
  // Per customer an order weight then a session weight, accumulated: cumulative[2i], [2i+1].
  private final double[] cumulative;
  private long weightsMinute = Long.MIN_VALUE;
  private long emitted;
  private long activities;

  LiveWorld(List<Persona> personas, long seed, Instant from, double eventsPerSecond) {
    if (!(eventsPerSecond > 0) || Double.isInfinite(eventsPerSecond)) {
      throw new IllegalArgumentException(
          "Live events per second must be a positive number, got " + eventsPerSecond);
    }
    this.personas = personas;
    this.random = Randoms.derive(seed, LIVE_STREAM, from.toEpochMilli());
    this.from = from.toEpochMilli();
    this.millisPerEvent = 1000 / eventsPerSecond;
    this.cumulative = new double[2 * personas.size()];
  }

  /** Event time of the next event. */
  public Instant nextTime() {
    return Instant.ofEpochMilli(time(emitted));
  }

  /** Events returned so far. */
  public long emitted() {
    return emitted;
  }

  @Override
  public boolean hasNext() {
    return !planned.isEmpty() || totalWeight(time(emitted)) > 0;
  }

  @Override
  public WorldEvent next() {
    long t = time(emitted);
    if (planned.isEmpty()) {
      if (totalWeight(t) <= 0) {
        throw new NoSuchElementException(
            "Every customer has churned by " + Instant.ofEpochMilli(t));
      }
      plan(t);
    }
    emitted++;
    return planned.poll().apply(t);
  }

  private long time(long k) {
    return from + (long) Math.floor(k * millisPerEvent);
  }

  private double totalWeight(long t) {
    long minute = Math.floorDiv(t, Persona.MINUTE);
    if (minute != weightsMinute) {
      // Levels change over days; recomputing once a minute of event time is plenty.
      double sum = 0;
      for (int i = 0; i < personas.size(); i++) {
        Persona p = personas.get(i);
        sum += p.ordersPerDay * p.orderLevel(t);
        cumulative[2 * i] = sum;
        sum += p.sessionsPerDay * p.sessionLevel(t) * p.clicksPerSession * p.depthLevel(t);
        cumulative[2 * i + 1] = sum;
      }
      weightsMinute = minute;
    }
    return cumulative.length == 0 ? 0 : cumulative[cumulative.length - 1];
  }

  /** Picks who does what at {@code t}, weighted by events, and queues its events. */
  private void plan(long t) {
    double pick = random.nextDouble() * totalWeight(t);
    // The first slot whose running total exceeds the pick: never one of weight 0.
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
    int slot = low;
    Persona p = personas.get(slot / 2);
    long n = ++activities;
    SplittableRandom r = random.split();
    if (slot % 2 == 0) {
      String orderId = "o-" + p.customerId + "-L" + n;
      if (r.nextDouble() < 0.5) {
        int clicks = Math.max(2, Activities.clickCount(p, t, r));
        queueClicks(p, "s-" + p.customerId + "-Lo" + n, Activities.clickTypes(clicks, true, r));
      }
      planned.add(time -> WorldEvent.of(Activities.order(p, orderId, time, r)));
    } else {
      int clicks = Activities.clickCount(p, t, r);
      queueClicks(p, "s-" + p.customerId + "-L" + n, Activities.clickTypes(clicks, false, r));
    }
  }

  private void queueClicks(Persona p, String sessionId, String[] types) {
    for (int i = 0; i < types.length; i++) {
      int index = i;
      planned.add(time -> WorldEvent.of(Activities.click(p, sessionId, index, types[index], time)));
    }
  }
}
