package dev.tessera.serving.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ClassifierMetricsTest {
  private static final double EXACT = 1e-12;

  @Test
  void shouldComputeAucOfTheTextbookExample() {
    // Positives 0.35 and 0.8 against negatives 0.1 and 0.4: 3 of 4 pairs ordered correctly.
    assertThat(ClassifierMetrics.auc(new int[] {0, 0, 1, 1}, new double[] {0.1, 0.4, 0.35, 0.8}))
        .isCloseTo(0.75, within(EXACT));
  }

  @Test
  void shouldCountTiedScoresAsHalfAPair() {
    // Pairs (positive, negative): (0.5, 0.5) tie = 0.5, (0.5, 0.2) = 1, (0.9, 0.5) = 1,
    // (0.9, 0.2) = 1, so 3.5 / 4.
    assertThat(ClassifierMetrics.auc(new int[] {0, 1, 0, 1}, new double[] {0.5, 0.5, 0.2, 0.9}))
        .isCloseTo(0.875, within(EXACT));
    // Every score tied: no information, AUC one half.
    assertThat(ClassifierMetrics.auc(new int[] {0, 1, 1, 0, 1}, new double[] {3, 3, 3, 3, 3}))
        .isCloseTo(0.5, within(EXACT));
  }

  @Test
  void shouldGiveAucOneForPerfectAndZeroForReversedRanking() {
    int[] labels = {0, 0, 1, 1, 1};
    assertThat(ClassifierMetrics.auc(labels, new double[] {-2, -1, 5, 6, 7})).isEqualTo(1.0);
    assertThat(ClassifierMetrics.auc(labels, new double[] {9, 8, 1, 2, 3})).isEqualTo(0.0);
  }

  @Test
  void shouldPredictPositiveStrictlyAboveThreshold() {
    // At 0.5: predicted positive are 0.9 (TP) and 0.6 (FP); 0.5 itself is predicted negative
    // (FN), as are 0.4 (FN) and 0.2 (TN).
    ClassifierMetrics metrics =
        ClassifierMetrics.of(new int[] {1, 1, 0, 0, 1}, new double[] {0.9, 0.4, 0.6, 0.2, 0.5});

    assertThat(metrics.rows()).isEqualTo(5);
    assertThat(metrics.positives()).isEqualTo(3);
    assertThat(metrics.threshold()).isEqualTo(0.5);
    assertThat(metrics.precision()).isCloseTo(0.5, within(EXACT));
    assertThat(metrics.recall()).isCloseTo(1.0 / 3, within(EXACT));
    assertThat(metrics.accuracy()).isCloseTo(0.4, within(EXACT));
    // Positives 0.9, 0.4, 0.5 against negatives 0.6, 0.2: 0.9 beats both, 0.4 and 0.5 beat 0.2.
    assertThat(metrics.auc()).isCloseTo(4.0 / 6, within(EXACT));
  }

  @Test
  void shouldApplyACustomThreshold() {
    ClassifierMetrics metrics =
        ClassifierMetrics.of(
            new int[] {1, 1, 0, 0, 1}, new double[] {0.9, 0.4, 0.6, 0.2, 0.5}, 0.3);

    // Predicted positive: 0.9, 0.4, 0.6, 0.5 -> TP 3, FP 1, TN 1.
    assertThat(metrics.precision()).isCloseTo(0.75, within(EXACT));
    assertThat(metrics.recall()).isCloseTo(1.0, within(EXACT));
    assertThat(metrics.accuracy()).isCloseTo(0.8, within(EXACT));
  }

  @Test
  void shouldGiveZeroPrecisionWhenNothingIsPredictedPositive() {
    ClassifierMetrics metrics = ClassifierMetrics.of(new int[] {0, 1}, new double[] {0.1, 0.2});

    assertThat(metrics.precision()).isZero();
    assertThat(metrics.recall()).isZero();
    assertThat(metrics.accuracy()).isCloseTo(0.5, within(EXACT));
    assertThat(metrics.auc()).isEqualTo(1.0);
  }

  @Test
  void shouldComputeLogLossInNats() {
    // -(ln 0.8 + ln(1 - 0.3)) / 2
    assertThat(ClassifierMetrics.logLoss(new int[] {1, 0}, new double[] {0.8, 0.3}))
        .isCloseTo((0.2231435513142097 + 0.35667494393873245) / 2, within(EXACT));
  }

  @Test
  void shouldClipProbabilitiesInLogLoss() {
    // A certain mistake costs -ln(1e-15) = 34.5388, not infinity; a certain hit costs ~1e-15.
    assertThat(ClassifierMetrics.logLoss(new int[] {0}, new double[] {1.0}))
        .isCloseTo(34.538776394910684, within(1e-9));
    assertThat(ClassifierMetrics.logLoss(new int[] {1, 0}, new double[] {1.0, 0.0}))
        .isCloseTo(1e-15, within(1e-16));
  }

  @Test
  void shouldRefuseInvalidInput() {
    assertThatThrownBy(() -> ClassifierMetrics.of(new int[] {1, 1}, new double[] {0.2, 0.9}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("AUC needs both classes, got 2 positives in 2 rows");
    assertThatThrownBy(() -> ClassifierMetrics.of(new int[] {0, 1}, new double[] {0.2}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Expected one score per label and at least one row, got 2 labels and 1 scores");
    assertThatThrownBy(() -> ClassifierMetrics.of(new int[0], new double[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one row");
    assertThatThrownBy(() -> ClassifierMetrics.of(new int[] {0, 2}, new double[] {0.2, 0.3}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Label of row 1 is 2, expected 0 or 1");
    assertThatThrownBy(() -> ClassifierMetrics.of(new int[] {0, 1}, new double[] {0.2, 1.5}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Probability of row 1 is 1.5, expected a value in [0, 1]");
    assertThatThrownBy(
            () -> ClassifierMetrics.auc(new int[] {0, 1}, new double[] {0.2, Double.NaN}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Score of row 1 is NaN, expected a finite number");
    assertThatThrownBy(() -> ClassifierMetrics.of(new int[] {0, 1}, new double[] {0.2, 0.3}, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Threshold must be in [0, 1], got 2.0");
  }
}
