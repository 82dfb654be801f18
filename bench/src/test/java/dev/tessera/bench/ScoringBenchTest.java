package dev.tessera.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ScoringBenchTest {

  @Test
  void shouldRunEveryEngineInEveryModeOncePerSlice() {
    assertThat(ScoringBench.order(0, 2))
        .isDeepEqualTo(new int[][] {{0, 0}, {1, 0}, {0, 1}, {1, 1}});
  }

  @Test
  void shouldAlternateWhichEngineGoesFirst() {
    assertThat(ScoringBench.order(1, 2))
        .isDeepEqualTo(new int[][] {{1, 0}, {0, 0}, {1, 1}, {0, 1}});
    assertThat(ScoringBench.order(2, 2)).isDeepEqualTo(ScoringBench.order(0, 2));
  }

  @Test
  void shouldCutRowsIntoCallsInOrder() {
    float[] all = {1, 2, 3, 4, 5, 6, 7, 8};

    float[][] pairs = ScoringBench.Slices.of(all, 4, 2, 2);

    assertThat(pairs).isDeepEqualTo(new float[][] {{1, 2, 3, 4}, {5, 6, 7, 8}});
    assertThat(ScoringBench.Slices.of(all, 4, 2, 1)[3]).containsExactly(7, 8);
  }

  @Test
  void shouldRefuseRowsThatDoNotCutIntoWholeCalls() {
    assertThatThrownBy(() -> ScoringBench.Slices.of(new float[6], 3, 2, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("3 rows");
  }
}
