package dev.tessera.serving.retrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HoldoutByTimeTest {
  @Test
  void shouldHoldOutTheMostRecentRowsAndTrainOnTheOlderOnes() {
    long[] times = {50, 10, 90, 30, 70, 20, 80, 40, 60, 100};
    int[] labels = {1, 0, 1, 1, 0, 0, 1, 0, 0, 0};
    var split = HoldoutByTime.of(times, labels, 0.4);
    assertThat(split.holdout()).containsExactly(4, 6, 2, 9); // times 70, 80, 90, 100
    assertThat(split.train()).containsExactly(1, 5, 3, 7, 0, 8); // times 10..60
  }

  @Test
  void shouldRefuseASplitWhosePartLacksAClass() {
    long[] times = {1, 2, 3, 4, 5, 6, 7, 8};
    int[] labels = {1, 1, 0, 0, 0, 0, 0, 0};
    assertThatThrownBy(() -> HoldoutByTime.of(times, labels, 0.25))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("holdout need at least 2 labels of each class, have 0 positive of 2");
  }
}
