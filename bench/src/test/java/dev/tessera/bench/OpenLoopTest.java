package dev.tessera.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class OpenLoopTest {
  private static final long MS = 1_000_000;

  /** Time that moves only when a worker parks or a fake request takes its service time. */
  private static final class FakeClock implements OpenLoop.Clock {
    long now;

    @Override
    public long nanoTime() {
      return now;
    }

    @Override
    public void parkUntil(long deadline) {
      now = Math.max(now, deadline);
    }
  }

  @Test
  void shouldDueEveryRequestAtItsOwnTimeWithoutDrift() {
    var schedule = OpenLoop.Schedule.of(5 * MS, 3_000, Duration.ofSeconds(2));

    assertThat(schedule.count()).isEqualTo(6_000);
    assertThat(schedule.intended(0)).isEqualTo(5 * MS);
    assertThat(schedule.intended(1)).isEqualTo(5 * MS + 333_333);
    assertThat(schedule.intended(3_000)).isEqualTo(5 * MS + 1_000 * MS);
  }

  @Test
  void shouldMeasureFromTheIntendedStartSoASlowServerDelaysTheRequestsQueuedBehindIt()
      throws InterruptedException {
    var clock = new FakeClock();
    // 1,000/s for 4 ms: requests due at 0, 1, 2 and 3 ms; each takes 3 ms on one connection.
    var schedule = OpenLoop.Schedule.of(0, 1_000, Duration.ofMillis(4));

    OpenLoop.Outcome o =
        OpenLoop.run(
            schedule,
            1,
            (worker, index) -> {
              clock.now += 3 * MS;
              return true;
            },
            clock);

    // Sent at 0, 3, 6, 9 ms, answered at 3, 6, 9, 12 ms: 3, 5, 7 and 9 ms after they were due
    // (a closed loop would have recorded 3 ms four times).
    Histogram h = o.nanos();
    assertThat(h.getTotalCount()).isEqualTo(4);
    assertThat(h.getMinValue()).isEqualTo(h.lowestEquivalentValue(3 * MS));
    assertThat(h.getMaxValue()).isEqualTo(h.highestEquivalentValue(9 * MS));
    assertThat(h.getMean()).isCloseTo(6 * MS, org.assertj.core.data.Percentage.withPercentage(0.2));
    assertThat(o.lateNanos().getMaxValue()).isEqualTo(o.lateNanos().highestEquivalentValue(6 * MS));
    assertThat(o.seconds()).isEqualTo(0.012);
    assertThat(o.errors()).isZero();
  }

  @Test
  void shouldRecordTheServiceTimeAloneWhenTheServerKeepsUp() throws InterruptedException {
    var clock = new FakeClock();
    var schedule = OpenLoop.Schedule.of(10 * MS, 500, Duration.ofMillis(100));

    OpenLoop.Outcome o =
        OpenLoop.run(
            schedule,
            1,
            (worker, index) -> {
              clock.now += MS / 2;
              return true;
            },
            clock);

    assertThat(o.nanos().getTotalCount()).isEqualTo(50);
    assertThat(o.nanos().getMaxValue()).isEqualTo(o.nanos().highestEquivalentValue(MS / 2));
    assertThat(o.lateNanos().getMaxValue()).isZero();
    assertThat(o.achievedPerSecond()).isCloseTo(500, org.assertj.core.data.Offset.offset(10.0));
  }

  @Test
  void shouldCountFailuresAsErrorsNotAsLatencies() throws InterruptedException {
    var clock = new FakeClock();
    var schedule = OpenLoop.Schedule.of(0, 1_000, Duration.ofMillis(10));

    OpenLoop.Outcome o =
        OpenLoop.run(
            schedule,
            1,
            (worker, index) -> {
              if (index % 2 == 0) {
                throw new java.io.IOException("connection reset");
              }
              return index != 3;
            },
            clock);

    assertThat(o.errors()).isEqualTo(6);
    assertThat(o.nanos().getTotalCount()).isEqualTo(4);
  }
}
