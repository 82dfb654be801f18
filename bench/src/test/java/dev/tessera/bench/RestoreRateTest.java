package dev.tessera.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RestoreRateTest {

  @Test
  void shouldScaleTheRestoreTimeToAGigabyte() {
    var rate = new RestoreRate(12.5, 250_000_000L, 5_000_000L);

    assertThat(rate.secondsPerGb()).isEqualTo(50.0);
    assertThat(rate.megabytesPerSecond()).isEqualTo(20.0);
    assertThat(rate.recordsPerSecond()).isEqualTo(400_000.0);
  }

  @Test
  void shouldHaveNoTimePerGigabyteWithoutAChangelog() {
    assertThat(new RestoreRate(1, 0, 0).secondsPerGb()).isNaN();
  }
}
