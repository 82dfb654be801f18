package dev.tessera.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WarmupTest {

  @Test
  void shouldKeepGoingWhileEachRoundIsClearlyFaster() {
    var warmup = new Warmup(3, 30, 0, 0.1);
    for (double rate : new double[] {300, 900, 2_000, 4_000, 6_000}) {
      warmup.round(rate);
      assertThat(warmup.done()).isFalse();
    }
    warmup.round(6_300);

    assertThat(warmup.done()).isTrue();
    assertThat(warmup.rounds()).isEqualTo(6);
    assertThat(warmup.best()).isEqualTo(6_300);
  }

  @Test
  void shouldStopOnARoundSlowerThanTheBestSoFar() {
    var warmup = new Warmup(3, 30, 0, 0.1);
    warmup.round(5_000);
    warmup.round(7_000);
    warmup.round(4_000); // a busy moment on the machine: not progress

    assertThat(warmup.done()).isTrue();
  }

  @Test
  void shouldNotStopBeforeTheMinimumNorGoPastTheMaximum() {
    var warmup = new Warmup(3, 4, 0, 0.1);
    warmup.round(1_000);
    warmup.round(1_000);
    assertThat(warmup.done()).isFalse();
    warmup.round(2_000);
    assertThat(warmup.done()).isFalse();
    warmup.round(4_000);
    assertThat(warmup.done()).isTrue();
  }

  @Test
  void shouldRefuseBoundsThatCannotWork() {
    assertThatThrownBy(() -> new Warmup(1, 10, 0, 0.1)).hasMessageContaining("minRounds");
    assertThatThrownBy(() -> new Warmup(5, 4, 0, 0.1)).hasMessageContaining("maxRounds");
  }

  @Test
  void shouldWaitForEnoughRequestsEvenWhenTheRateLooksSettled() {
    var warmup = new Warmup(2, 30, 10_000, 0.1);
    warmup.round(3_000);
    warmup.round(3_000);
    warmup.round(3_000);
    assertThat(warmup.done()).isFalse();
    warmup.round(3_000);
    assertThat(warmup.done()).isTrue();
  }
}
