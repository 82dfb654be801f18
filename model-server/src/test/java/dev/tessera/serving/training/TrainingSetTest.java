package dev.tessera.serving.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.features.offline.FeatureTable;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingSetTest {
  private static final List<String> COLUMNS = List.of("orders_7d", "days_since_last_order");

  @Test
  void shouldHoldRowsLabelsAndTimeRange() {
    TrainingSet set =
        TrainingSet.of(
            COLUMNS,
            new float[][] {{3f, 2f}, {0f, Float.NaN}, {1f, 40f}},
            new int[] {0, 1, 1},
            new long[] {2_000L, 1_000L, 3_000L});

    assertThat(set.rowCount()).isEqualTo(3);
    assertThat(set.columnCount()).isEqualTo(2);
    assertThat(set.columns()).containsExactly("orders_7d", "days_since_last_order");
    assertThat(set.positives()).isEqualTo(2);
    assertThat(set.value(2, 1)).isEqualTo(40f);
    assertThat(set.value(1, 1)).isNaN();
    assertThat(set.row(0)).containsExactly(3f, 2f);
    assertThat(set.label(0)).isZero();
    assertThat(set.values()).containsExactly(3f, 2f, 0f, Float.NaN, 1f, 40f);
    assertThat(set.hasTimestamps()).isTrue();
    assertThat(set.minTimestamp()).hasValue(1_000L);
    assertThat(set.maxTimestamp()).hasValue(3_000L);
  }

  @Test
  void shouldHaveNoTimeRangeWithoutTimestamps() {
    TrainingSet set = new TrainingSet(COLUMNS, new float[] {1f, 2f}, new int[] {1}, null);

    assertThat(set.hasTimestamps()).isFalse();
    assertThat(set.minTimestamp()).isEmpty();
    assertThat(set.maxTimestamp()).isEmpty();
  }

  @Test
  void shouldCopyArraysInAndOut() {
    float[] values = {1f, 2f, 3f, 4f};
    int[] labels = {0, 1};
    TrainingSet set = new TrainingSet(COLUMNS, values, labels, null);

    values[0] = 99f;
    labels[0] = 1;
    set.values()[1] = 99f;
    set.labels()[1] = 0;
    set.row(0)[0] = 99f;

    assertThat(set.values()).containsExactly(1f, 2f, 3f, 4f);
    assertThat(set.labels()).containsExactly(0, 1);
  }

  @Test
  void shouldRefuseWidthMismatch() {
    assertThatThrownBy(
            () -> TrainingSet.of(COLUMNS, new float[][] {{1f, 2f}, {1f}}, new int[] {0, 1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Row 1 has 1 values, expected 2 (one per column [orders_7d, days_since_last_order])");
    assertThatThrownBy(() -> new TrainingSet(COLUMNS, new float[5], new int[] {0, 1, 0}, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Expected 3 rows x 2 columns = 6 values, got 5");
    assertThatThrownBy(() -> TrainingSet.of(COLUMNS, new float[][] {{1f, 2f}}, new int[] {0, 1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Expected one label per row, got 1 rows and 2 labels");
    assertThatThrownBy(
            () -> new TrainingSet(COLUMNS, new float[4], new int[] {0, 1}, new long[] {1L}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Expected one timestamp per row, got 1 timestamps for 2 rows");
  }

  @Test
  void shouldRefuseNonBinaryLabel() {
    assertThatThrownBy(
            () -> TrainingSet.of(COLUMNS, new float[][] {{1f, 2f}, {3f, 4f}}, new int[] {1, 2}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Label of row 1 is 2, expected 0 or 1");
  }

  @Test
  void shouldRefuseEmptySetAndInvalidColumns() {
    assertThatThrownBy(() -> TrainingSet.of(COLUMNS, new float[0][], new int[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Training set has no rows");
    assertThatThrownBy(() -> TrainingSet.of(List.of(), new float[][] {{}}, new int[] {1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Training set has no columns");
    assertThatThrownBy(
            () -> TrainingSet.of(List.of("a", "a"), new float[][] {{1f, 2f}}, new int[] {1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Column names must be unique, non-blank and free of commas, got [a, a]");
    assertThatThrownBy(() -> TrainingSet.of(List.of("a,b"), new float[][] {{1f}}, new int[] {1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("free of commas");
  }

  @Test
  void shouldRefuseInfinityButAcceptNaN() {
    assertThatThrownBy(
            () ->
                TrainingSet.of(
                    COLUMNS,
                    new float[][] {{1f, Float.NaN}, {Float.NEGATIVE_INFINITY, 4f}},
                    new int[] {0, 1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Row 1, column orders_7d is -Infinity; XGBoost refuses infinities, use NaN for a"
                + " missing value");
  }

  @Test
  void shouldCarryTheOfflineEnginesDefaultedMarksAsMissingWithoutChangingValues() {
    var table =
        new FeatureTable(
            "churn_v1",
            List.of("total_orders", "orders_30d", "region_apac"),
            List.of("C-1", "C-2"),
            new long[] {1, 2},
            new int[] {0, 1},
            new double[][] {{3, 0, 1}, {0, 0, 0}},
            new boolean[][] {{false, true, true}, {true, true, true}});

    TrainingSet set = TrainingSet.of(table, List.of("orders_30d", "total_orders"));

    assertThat(set.columns()).containsExactly("orders_30d", "total_orders");
    assertThat(set.row(0)).containsExactly(0f, 3f);
    assertThat(set.missing(0, 0)).isTrue();
    assertThat(set.missing(0, 1)).isFalse();
    assertThat(set.missing(1, 1)).isTrue();
    assertThat(
            TrainingSet.of(List.of("a"), new float[][] {{Float.NaN}}, new int[] {1}).missing(0, 0))
        .isTrue();
  }

  @Test
  void shouldSelectRowsWithTheirLabelsTimesAndMarks() {
    TrainingSet set =
        TrainingSet.of(
                List.of("a", "b"),
                new float[][] {{1f, 2f}, {3f, 4f}, {5f, 6f}},
                new int[] {0, 1, 0},
                new long[] {10, 20, 30})
            .withDefaulted(new boolean[] {false, false, true, false, false, true});
    TrainingSet picked = set.select(new int[] {2, 1});
    assertThat(picked.values()).containsExactly(5f, 6f, 3f, 4f);
    assertThat(picked.labels()).containsExactly(0, 1);
    assertThat(picked.timestamps()).containsExactly(30, 20);
    assertThat(picked.missing(0, 1)).isTrue();
    assertThat(picked.missing(1, 0)).isTrue();
    assertThat(picked.missing(1, 1)).isFalse();
    assertThatThrownBy(() -> set.select(new int[] {3}))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }
}
