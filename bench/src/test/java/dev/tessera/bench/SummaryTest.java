package dev.tessera.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTest {

  @Test
  void shouldTakeTheMiddleValueOfAnOddCount() {
    Summary s = Summary.of(List.of(3.0, 1.0, 2.0));
    assertThat(s.median()).isEqualTo(2.0);
    assertThat(s.min()).isEqualTo(1.0);
    assertThat(s.max()).isEqualTo(3.0);
    assertThat(s.runs()).isEqualTo(3);
  }

  @Test
  void shouldAverageTheTwoMiddleValuesOfAnEvenCount() {
    assertThat(Summary.of(List.of(4.0, 1.0, 3.0, 2.0)).median()).isEqualTo(2.5);
  }

  @Test
  void shouldPairRunsForRatios() {
    Summary ratio = Summary.ratio(List.of(10.0, 30.0, 20.0), List.of(20.0, 40.0, 80.0));
    assertThat(ratio.median()).isEqualTo(0.5);
    assertThat(ratio.min()).isEqualTo(0.25);
    assertThat(ratio.max()).isEqualTo(0.75);
  }

  @Test
  void shouldRefuseToSummariseNothing() {
    assertThatThrownBy(() -> Summary.of(List.of())).isInstanceOf(IllegalArgumentException.class);
  }
}
