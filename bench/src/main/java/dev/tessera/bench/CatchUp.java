package dev.tessera.bench;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Times a Kafka Streams application working through preloaded topics: from the first record it
 * processes until the group has committed every input offset. The first record is seen through the
 * stream thread's {@code process-total} metric (polled every 2 ms); commits through {@link
 * GroupProgress} (polled every 100 ms, so the end is late by at most that much plus one commit
 * interval). With a budget, an application that has not caught up when it runs out is measured by
 * what it committed by then.
 *
 * @param records input records committed (all of them once caught up)
 * @param total input records (all partitions of the input topics)
 * @param startSeconds from {@code start()} to the first processed record
 * @param catchUpSeconds from the first processed record until every input offset was committed, or
 *     until the budget ran out
 * @param secondHalfRate with a budget that ran out, input records committed per second over its
 *     second half (the rate the application had settled to); otherwise NaN
 */
record CatchUp(
    long records, long total, double startSeconds, double catchUpSeconds, double secondHalfRate) {
  private static final long FIRST_RECORD_POLL_NANOS = 2_000_000;
  private static final long COMMIT_POLL_NANOS = 100_000_000;
  private static final long PROGRESS_NANOS = 10_000_000_000L;

  double eventsPerSecond() {
    return records / catchUpSeconds;
  }

  boolean caughtUp() {
    return records == total;
  }

  /**
   * Calls {@code start} (which starts the application) and waits until it has caught up, failing
   * after {@code timeout}; or, with a non-zero {@code budget}, stops waiting {@code budget} after
   * the first record.
   */
  static CatchUp measure(
      Supplier<KafkaStreams> start, GroupProgress progress, Duration timeout, Duration budget) {
    long begin = System.nanoTime();
    long deadline = begin + timeout.toNanos();
    KafkaStreams streams = start.get();
    long first;
    while (processed(streams) == 0) {
      failIfStuck(streams, deadline, "no record processed");
      LockSupport.parkNanos(FIRST_RECORD_POLL_NANOS);
    }
    first = System.nanoTime();
    long reported = first;
    long halfway = -1;
    long halfwayAt = 0;
    while (!progress.caughtUp()) {
      long elapsed = System.nanoTime() - first;
      if (!budget.isZero() && halfway < 0 && elapsed > budget.toNanos() / 2) {
        halfway = progress.committedInputRecords();
        halfwayAt = System.nanoTime();
      }
      if (!budget.isZero() && elapsed > budget.toNanos()) {
        long committed = progress.committedInputRecords();
        long end = System.nanoTime();
        return new CatchUp(
            committed,
            progress.inputRecords(),
            (first - begin) / 1e9,
            (end - first) / 1e9,
            (committed - halfway) / ((end - halfwayAt) / 1e9));
      }
      failIfStuck(streams, deadline, "input not fully committed");
      LockSupport.parkNanos(COMMIT_POLL_NANOS);
      if (System.nanoTime() - reported > PROGRESS_NANOS) {
        reported = System.nanoTime();
        System.out.printf(
            "[progress] %.0f s: %d of %d input records committed%n",
            (reported - first) / 1e9, progress.committedInputRecords(), progress.inputRecords());
      }
    }
    long done = System.nanoTime();
    long total = progress.inputRecords();
    return new CatchUp(total, total, (first - begin) / 1e9, (done - first) / 1e9, Double.NaN);
  }

  private static void failIfStuck(KafkaStreams streams, long deadline, String what) {
    KafkaStreams.State state = streams.state();
    if (state == KafkaStreams.State.ERROR
        || state == KafkaStreams.State.PENDING_ERROR
        || state == KafkaStreams.State.NOT_RUNNING) {
      throw new IllegalStateException("Streams stopped (" + state + "): " + what);
    }
    if (System.nanoTime() > deadline) {
      throw new IllegalStateException("Timed out in state " + state + ": " + what);
    }
  }

  /** Records processed by all stream threads so far. */
  private static double processed(KafkaStreams streams) {
    double total = 0;
    for (var e : streams.metrics().entrySet()) {
      MetricName name = e.getKey();
      if (name.name().equals("process-total") && name.group().equals("stream-thread-metrics")) {
        Metric metric = e.getValue();
        if (metric.metricValue() instanceof Number n) {
          total += n.doubleValue();
        }
      }
    }
    return total;
  }
}
