package dev.tessera.bench;

import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * An open-loop load generator: request {@code i} of a run is due at {@code start + i / rate},
 * whatever happened to the requests before it, and its latency is measured from that intended time
 * to the end of its response. A slow response therefore shows in the latency of every request that
 * was due while it held things up (no coordinated omission), the way a stream of independent users
 * would see it.
 *
 * <p>{@code workers} threads each own one connection and take the next due request when they are
 * free; a request due while every worker is busy waits for one, and the wait is part of its
 * latency. So at most {@code workers} requests are in flight, as behind a client's bounded
 * connection pool.
 *
 * <pre>{@code
 * var schedule = OpenLoop.Schedule.of(System.nanoTime() + 10_000_000, 1_000, Duration.ofSeconds(5));
 * OpenLoop.Outcome o = OpenLoop.run(schedule, 8, (worker, i) -> connections[worker].send(...) == 200,
 *     OpenLoop.SYSTEM);
 * }</pre>
 */
final class OpenLoop {
  private static final long MAX_LATENCY_NANOS = 60_000_000_000L;

  /** Time as the load generator sees it; a fake in tests. */
  interface Clock {
    long nanoTime();

    /** Returns at {@code deadline} or soon after; at once if it has passed. */
    void parkUntil(long deadline);
  }

  /** One request: sends request number {@code index} on {@code worker}'s connection. */
  interface Call {
    /** True for a good response; false or an exception counts as an error. */
    boolean call(int worker, long index) throws Exception;
  }

  static final Clock SYSTEM =
      new Clock() {
        @Override
        public long nanoTime() {
          return System.nanoTime();
        }

        @Override
        public void parkUntil(long deadline) {
          for (long left = deadline - System.nanoTime();
              left > 0;
              left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
          }
        }
      };

  private OpenLoop() {}

  /**
   * When each request of a run is due.
   *
   * @param startNanos when request 0 is due
   * @param perSecond requests per second
   * @param count requests in the run
   */
  record Schedule(long startNanos, double perSecond, long count) {
    Schedule {
      if (perSecond <= 0 || count < 0) {
        throw new IllegalArgumentException(
            "A schedule needs a positive rate and a count ≥ 0, got " + perSecond + "/s, " + count);
      }
    }

    static Schedule of(long startNanos, double perSecond, java.time.Duration length) {
      return new Schedule(startNanos, perSecond, Math.round(perSecond * length.toNanos() / 1e9));
    }

    /** When request {@code index} is due (computed from the start, so no rounding drift). */
    long intended(long index) {
      return startNanos + Math.round(index * 1e9 / perSecond);
    }
  }

  /**
   * @param nanos latency of each good response from its intended start, nanoseconds
   * @param lateNanos how long after its intended start each request was sent: the load generator's
   *     own share of the latency (waking up, waiting for a free worker)
   * @param errors requests that failed or answered other than as expected
   * @param seconds from the first intended start to the last response
   */
  record Outcome(Histogram nanos, Histogram lateNanos, long errors, double seconds) {
    /** Good responses per second: the schedule's rate if the server kept up. */
    double achievedPerSecond() {
      return nanos.getTotalCount() / seconds;
    }
  }

  /** Runs {@code schedule} on {@code workers} threads and waits for the last response. */
  static Outcome run(Schedule schedule, int workers, Call call, Clock clock)
      throws InterruptedException {
    var next = new AtomicLong();
    var histograms = new Histogram[workers];
    var late = new Histogram[workers];
    var errors = new long[workers];
    var ends = new long[workers];
    var threads = new ArrayList<Thread>(workers);
    for (int w = 0; w < workers; w++) {
      int worker = w;
      histograms[w] = new Histogram(MAX_LATENCY_NANOS, 3);
      late[w] = new Histogram(MAX_LATENCY_NANOS, 3);
      Thread t =
          new Thread(
              () -> {
                long end = schedule.startNanos();
                for (long i = next.getAndIncrement();
                    i < schedule.count();
                    i = next.getAndIncrement()) {
                  long intended = schedule.intended(i);
                  clock.parkUntil(intended);
                  late[worker].recordValue(
                      Math.min(Math.max(clock.nanoTime() - intended, 0), MAX_LATENCY_NANOS));
                  boolean ok;
                  try {
                    ok = call.call(worker, i);
                  } catch (Exception e) {
                    ok = false;
                  }
                  end = clock.nanoTime();
                  if (ok) {
                    histograms[worker].recordValue(Math.min(end - intended, MAX_LATENCY_NANOS));
                  } else {
                    errors[worker]++;
                  }
                }
                ends[worker] = end;
              },
              "open-loop-" + w);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    var all = new Histogram(MAX_LATENCY_NANOS, 3);
    var allLate = new Histogram(MAX_LATENCY_NANOS, 3);
    long failed = 0;
    long last = schedule.startNanos();
    for (int w = 0; w < workers; w++) {
      all.add(histograms[w]);
      allLate.add(late[w]);
      failed += errors[w];
      last = Math.max(last, ends[w]);
    }
    return new Outcome(all, allLate, failed, Math.max(last - schedule.startNanos(), 1) / 1e9);
  }

  /**
   * Closed loop, for the most a server can do: {@code workers} threads each send their next request
   * as soon as the last one is answered, for {@code seconds}; returns good responses per second.
   */
  static double maxThroughput(int workers, double seconds, Call call) throws InterruptedException {
    var done = new long[workers];
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    var threads = new ArrayList<Thread>(workers);
    for (int w = 0; w < workers; w++) {
      int worker = w;
      Thread t =
          new Thread(
              () -> {
                for (long i = 0; System.nanoTime() < end; i++) {
                  try {
                    if (call.call(worker, i)) {
                      done[worker]++;
                    }
                  } catch (Exception e) {
                    // an error is a request not done; the rate shows it
                  }
                }
              },
              "closed-loop-" + w);
      threads.add(t);
      t.start();
    }
    long total = 0;
    for (int w = 0; w < workers; w++) {
      threads.get(w).join();
      total += done[w];
    }
    return total / ((System.nanoTime() - start) / 1e9);
  }
}
