package dev.tessera.bench;

import dev.tessera.features.definition.ShippedFeatures;
import dev.tessera.features.query.FeatureVector;
import dev.tessera.features.query.ViewLookup;
import dev.tessera.schemas.Order;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * Produce → visible latency: sends single orders at a fixed rate (open loop, each on its own
 * schedule) for random customers and polls a lookup (every millisecond, or less often while a round
 * of lookups takes longer than that) until the customer's {@code total_orders} shows the new order
 * (its event time is the newest). Latency is taken from the <em>intended</em> send time, so a
 * stalled sender or producer counts against the result instead of hiding it (no coordinated
 * omission).
 *
 * <pre>{@code
 * var probe = new FreshnessProbe(router, generator, 200);
 * Histogram micros = probe.run(sender, Duration.ofSeconds(3), Duration.ofSeconds(20));
 * }</pre>
 */
final class FreshnessProbe {
  private static final String VIEW = ShippedFeatures.CUSTOMER_CHURN;
  private static final String FEATURE = "total_orders";
  private static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final long POLL_MICROS = 1_000;
  private static final long INTERVAL_NANOS = 2_000_000_000L;

  private final ViewLookup lookup;
  private final EventGenerator generator;
  private final double perSecond;
  private final Set<Integer> inFlight = ConcurrentHashMap.newKeySet();
  private final BlockingQueue<Probe> sent = new LinkedBlockingQueue<>();
  private final Histogram micros = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
  // Per 2-second interval, printed to the log: shows whether latency settles.
  private final Histogram interval = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
  private long intervalStart = System.nanoTime();
  private long givenUp;

  FreshnessProbe(ViewLookup lookup, EventGenerator generator, double perSecond) {
    this.lookup = lookup;
    this.generator = generator;
    this.perSecond = perSecond;
  }

  /** One order on its way: whose, its event time, when it was meant to be sent. */
  private record Probe(int customer, long orderTs, long intendedNanos, boolean measured) {}

  /** Orders sent whose effect never showed within 10 s (counted, not in the histogram). */
  long givenUp() {
    return givenUp;
  }

  /**
   * Sends orders through {@code send} for {@code warmup} (not recorded) then {@code measure}, and
   * returns the produce → visible latencies in microseconds.
   */
  Histogram run(Consumer<Order> send, Duration warmup, Duration measure)
      throws InterruptedException {
    var done = new AtomicBoolean();
    Thread poller = new Thread(() -> poll(done), "freshness-poller");
    poller.start();
    var random = new SplittableRandom(7);
    long period = (long) (1e9 / perSecond);
    long start = System.nanoTime();
    long wallStart = System.currentTimeMillis();
    long measureFrom = start + warmup.toNanos();
    long count = (long) ((warmup.toNanos() + measure.toNanos()) / 1e9 * perSecond);
    for (long i = 0; i < count; i++) {
      long intended = start + i * period;
      long wait = intended - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      int customer = idleCustomer(random);
      // Event time is the intended send time: newer than every preloaded event of the customer.
      long orderTs = wallStart + (intended - start) / 1_000_000;
      inFlight.add(customer);
      send.accept(generator.liveOrder(random, customer, orderTs, "fresh-" + i));
      sent.add(new Probe(customer, orderTs, intended, intended >= measureFrom));
    }
    done.set(true);
    poller.join();
    return micros;
  }

  /** A customer with no order in flight, so the visible event time is unambiguous. */
  private int idleCustomer(SplittableRandom random) {
    int c = random.nextInt(generator.customers());
    while (inFlight.contains(c)) {
      c = random.nextInt(generator.customers());
    }
    return c;
  }

  private void poll(AtomicBoolean done) {
    List<Probe> pending = new ArrayList<>();
    try {
      long wait = POLL_MICROS;
      while (!done.get() || !pending.isEmpty() || !sent.isEmpty()) {
        Probe next = sent.poll(wait, TimeUnit.MICROSECONDS);
        if (next != null) {
          pending.add(next);
          sent.drainTo(pending);
        }
        long before = System.nanoTime();
        check(pending);
        // Rest at least as long as the round took: the poller uses at most half a core, so
        // that it does not slow down the stream thread it measures.
        wait = Math.max(POLL_MICROS, (System.nanoTime() - before) / 1_000);
        logInterval();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void logInterval() {
    long now = System.nanoTime();
    if (now - intervalStart >= INTERVAL_NANOS && interval.getTotalCount() > 0) {
      System.out.printf(
          "[progress] freshness over 2 s: p50 %.1f ms, p99 %.1f ms, %d orders%n",
          interval.getValueAtPercentile(50) / 1e3,
          interval.getValueAtPercentile(99) / 1e3,
          interval.getTotalCount());
      interval.reset();
      intervalStart = now;
    }
  }

  private void check(List<Probe> pending) {
    for (Iterator<Probe> it = pending.iterator(); it.hasNext(); ) {
      Probe p = it.next();
      String key = EventGenerator.customerId(p.customer());
      FeatureVector v = lookup.lookup(VIEW, key, System.currentTimeMillis(), Map.of());
      long now = System.nanoTime();
      if (v.eventTime(FEATURE) >= p.orderTs()) {
        long latency =
            Math.min((now - p.intendedNanos()) / 1_000, micros.getHighestTrackableValue());
        if (p.measured()) {
          micros.recordValue(latency);
        }
        interval.recordValue(latency);
      } else if (now - p.intendedNanos() > GIVE_UP_NANOS) {
        givenUp++;
      } else {
        continue;
      }
      it.remove();
      inFlight.remove(p.customer());
    }
  }
}
