package dev.tessera.features.topology;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ViewMeterTest {
  private static final long T0 = 1_800_000_000_000L;

  @Test
  void shouldKeepTheNewestEventTimeWhateverTheArrivalOrder() {
    var meter = new ViewMeter(T0);
    assertThat(meter.newestEventTime()).isEqualTo(ViewMeter.NONE);

    meter.applied(500, T0);
    meter.applied(900, T0);
    meter.applied(700, T0);

    assertThat(meter.newestEventTime()).isEqualTo(900);
    assertThat(meter.total()).isEqualTo(3);
  }

  @Test
  void shouldRateOverTheTimeSinceStartWithinTheFirstMinute() {
    var meter = new ViewMeter(T0);
    for (int i = 0; i < 40; i++) {
      meter.applied(T0, T0 + 3_000);
    }

    // Seconds T0 .. T0+3 s: four seconds.
    assertThat(meter.eventsPerSecond(T0 + 3_500)).isEqualTo(10.0);
  }

  @Test
  void shouldForgetEventsOlderThanAMinute() {
    var meter = new ViewMeter(T0);
    for (int i = 0; i < 120; i++) {
      meter.applied(T0, T0 + 10_000);
    }
    for (int i = 0; i < 60; i++) {
      meter.applied(T0, T0 + 65_000);
    }

    assertThat(meter.eventsPerSecond(T0 + 65_000)).isEqualTo(3.0);
    assertThat(meter.eventsPerSecond(T0 + 200_000)).isZero();
    assertThat(meter.total()).isEqualTo(180);
  }

  @Test
  void shouldRecycleABucketWhenItsSecondComesRoundAgain() {
    var meter = new ViewMeter(T0);
    meter.applied(T0, T0);
    meter.applied(T0, T0 + 60_000); // same bucket, one minute later

    assertThat(meter.eventsPerSecond(T0 + 60_000)).isEqualTo(1.0 / 60);
  }
}
