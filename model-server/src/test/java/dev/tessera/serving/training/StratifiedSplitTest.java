package dev.tessera.serving.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StratifiedSplitTest {
  /** 100 rows, every 5th positive: 20 positives, 80 negatives. */
  private static final int[] LABELS =
      IntStream.range(0, 100).map(i -> i % 5 == 0 ? 1 : 0).toArray();

  @Test
  void shouldHoldOutTheFractionOfEachClass() {
    StratifiedSplit split = StratifiedSplit.of(LABELS, 0.2, 7L);

    assertThat(split.holdoutCount()).isEqualTo(20);
    assertThat(split.trainCount()).isEqualTo(80);
    assertThat(positives(split.holdout())).isEqualTo(4);
    assertThat(positives(split.train())).isEqualTo(16);
  }

  @Test
  void shouldPartitionEveryRowOnceInAscendingOrder() {
    StratifiedSplit split = StratifiedSplit.of(LABELS, 0.3, 11L);

    int[] all =
        IntStream.concat(Arrays.stream(split.train()), Arrays.stream(split.holdout()))
            .sorted()
            .toArray();
    assertThat(all).isEqualTo(IntStream.range(0, 100).toArray());
    assertThat(split.train()).isSorted();
    assertThat(split.holdout()).isSorted();
  }

  @Test
  void shouldBeDeterministicForASeed() {
    StratifiedSplit first = StratifiedSplit.of(LABELS, 0.2, 42L);
    StratifiedSplit again = StratifiedSplit.of(LABELS, 0.2, 42L);
    StratifiedSplit other = StratifiedSplit.of(LABELS, 0.2, 43L);

    assertThat(again.holdout()).isEqualTo(first.holdout());
    assertThat(again.train()).isEqualTo(first.train());
    assertThat(other.holdout()).isNotEqualTo(first.holdout());
  }

  @Test
  void shouldKeepBothClassesOnBothSidesOfTinySets() {
    int[] labels = {0, 1, 0, 1};

    StratifiedSplit tiny = StratifiedSplit.of(labels, 0.01, 1L);
    StratifiedSplit large = StratifiedSplit.of(labels, 0.99, 1L);

    for (StratifiedSplit split : new StratifiedSplit[] {tiny, large}) {
      assertThat(split.holdoutCount()).isEqualTo(2);
      assertThat(positives(split.holdout(), labels)).isEqualTo(1);
      assertThat(positives(split.train(), labels)).isEqualTo(1);
    }
  }

  @Test
  void shouldRefuseClassWithFewerThanTwoRows() {
    assertThatThrownBy(() -> StratifiedSplit.of(new int[] {0, 0, 0, 1}, 0.2, 1L))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "A stratified split needs at least 2 rows of each class, got 1 positive and 3"
                + " negative rows");
    assertThatThrownBy(() -> StratifiedSplit.of(new int[] {1, 1}, 0.2, 1L))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got 2 positive and 0 negative rows");
  }

  @Test
  void shouldRefuseFractionOutOfRangeAndNonBinaryLabels() {
    for (double fraction : new double[] {0, 1, -0.1, Double.NaN}) {
      assertThatThrownBy(() -> StratifiedSplit.of(LABELS, fraction, 1L))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Holdout fraction must be strictly between 0 and 1, got " + fraction);
    }
    assertThatThrownBy(() -> StratifiedSplit.of(new int[] {0, 1, 3}, 0.2, 1L))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Label of row 2 is 3, expected 0 or 1");
  }

  private static int positives(int[] rows) {
    return positives(rows, LABELS);
  }

  private static int positives(int[] rows, int[] labels) {
    return Arrays.stream(rows).map(row -> labels[row]).sum();
  }
}
