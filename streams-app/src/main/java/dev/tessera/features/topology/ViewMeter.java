package dev.tessera.features.topology;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * How much one view's processors on this node applied: a total, a rate over the last minute and the
 * newest event time applied. Written on the hot path with no allocation: a few atomic updates per
 * event, in one-second buckets of wall-clock time (the stream thread's cached clock).
 *
 * <pre>{@code
 * ViewMeter meter = activity.view("customer_churn");
 * double perSecond = meter.eventsPerSecond(System.currentTimeMillis());
 * long newest = meter.newestEventTime(); // ViewMeter.NONE before the first event
 * }</pre>
 */
public final class ViewMeter {
  /** {@link #newestEventTime()} before any event was applied. */
  public static final long NONE = Long.MIN_VALUE;

  private static final int SECONDS = 60;

  private final LongAdder total = new LongAdder();
  private final AtomicLong newest = new AtomicLong(NONE);
  private final AtomicLongArray counts = new AtomicLongArray(SECONDS);
  private final AtomicLongArray bucketSecond = new AtomicLongArray(SECONDS);
  private final long createdSecond;

  ViewMeter(long nowMillis) {
    this.createdSecond = nowMillis / 1000;
    for (int i = 0; i < SECONDS; i++) {
      bucketSecond.set(i, Long.MIN_VALUE);
    }
  }

  /** Records one applied event with event time {@code eventTime}, at wall-clock {@code now}. */
  void applied(long eventTime, long nowMillis) {
    total.increment();
    long second = nowMillis / 1000;
    int i = Math.floorMod(second, SECONDS);
    long held = bucketSecond.get(i);
    // The first writer of a new second recycles the bucket; a racing increment of the old second
    // may be lost, which a rate estimate can bear.
    if (held != second && bucketSecond.compareAndSet(i, held, second)) {
      counts.set(i, 0);
    }
    counts.incrementAndGet(i);
    if (eventTime > newest.get()) {
      newest.accumulateAndGet(eventTime, Math::max);
    }
  }

  /** Events applied since the node started. */
  public long total() {
    return total.sum();
  }

  /** Event time (epoch millis) of the newest event applied, or {@link #NONE}. */
  public long newestEventTime() {
    return newest.get();
  }

  /**
   * Events applied per second over the minute up to {@code nowMillis} (over the time since the
   * meter was created when that is shorter).
   */
  public double eventsPerSecond(long nowMillis) {
    long now = nowMillis / 1000;
    long sum = 0;
    for (int i = 0; i < SECONDS; i++) {
      long second = bucketSecond.get(i);
      if (second > now - SECONDS && second <= now) {
        sum += counts.get(i);
      }
    }
    long span = Math.max(1, Math.min(SECONDS, now - createdSecond + 1));
    return (double) sum / span;
  }
}
