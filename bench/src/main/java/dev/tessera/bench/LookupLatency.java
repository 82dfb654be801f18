package dev.tessera.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;

/**
 * Latency of one kind of lookup on one thread, random keys, after a warm-up: the cost a scorer pays
 * per row before the model runs.
 *
 * <pre>{@code
 * var run = LookupLatency.measure(key -> sum(router.lookup("customer_churn", key, now(), Map.of())),
 *     keys, warmup, measure);
 * double p99Micros = run.nanos().getValueAtPercentile(99) / 1000.0;
 * }</pre>
 *
 * @param nanos latency of each measured lookup, nanoseconds
 * @param perSecond lookups per second over the measured period
 */
record LookupLatency(Histogram nanos, double perSecond) {

  /**
   * Calls {@code lookup} with random keys of {@code keys} for {@code warmup}, then records each
   * call for {@code measure}. {@code lookup} returns any number computed from what it read (it is
   * summed, so that no part of the lookup can be optimised away).
   */
  static LookupLatency measure(
      ToDoubleFunction<String> lookup, String[] keys, Duration warmup, Duration measure) {
    var random = new SplittableRandom(11);
    double sink = loop(lookup, keys, warmup, random, null);
    var nanos = new Histogram(1_000_000_000L, 3);
    long start = System.nanoTime();
    sink += loop(lookup, keys, measure, random, nanos);
    double seconds = (System.nanoTime() - start) / 1e9;
    if (sink == 0) {
      throw new IllegalStateException("Every lookup read zeros: are the stores empty?");
    }
    return new LookupLatency(nanos, nanos.getTotalCount() / seconds);
  }

  private static double loop(
      ToDoubleFunction<String> lookup,
      String[] keys,
      Duration length,
      SplittableRandom random,
      Histogram record) {
    double sink = 0;
    long end = System.nanoTime() + length.toNanos();
    long now = System.nanoTime();
    while (now < end) {
      String key = keys[random.nextInt(keys.length)];
      long before = now;
      sink += lookup.applyAsDouble(key);
      now = System.nanoTime();
      if (record != null) {
        record.recordValue(Math.min(now - before, record.getHighestTrackableValue()));
      }
    }
    return sink;
  }

  /** Writes p50, p99, p99.9 and max in microseconds and the throughput as {@code prefix.*}. */
  void append(Path results, String prefix) {
    Results.append(results, prefix + ".p50_us", nanos.getValueAtPercentile(50) / 1e3);
    Results.append(results, prefix + ".p99_us", nanos.getValueAtPercentile(99) / 1e3);
    Results.append(results, prefix + ".p999_us", nanos.getValueAtPercentile(99.9) / 1e3);
    Results.append(results, prefix + ".max_us", nanos.getMaxValue() / 1e3);
    Results.append(results, prefix + ".per_s", perSecond);
  }
}
