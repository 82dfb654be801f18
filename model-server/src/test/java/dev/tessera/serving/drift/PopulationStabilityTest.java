package dev.tessera.serving.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PopulationStabilityTest {
  @Test
  void shouldMatchAHandCheckedExample() {
    // Shares 0.25 each against 0.1, 0.2, 0.3, 0.4:
    //  (0.1 - 0.25) ln(0.1 / 0.25) = 0.137444
    //  (0.2 - 0.25) ln(0.2 / 0.25) = 0.011157
    //  (0.3 - 0.25) ln(0.3 / 0.25) = 0.009116
    //  (0.4 - 0.25) ln(0.4 / 0.25) = 0.070501   sum 0.228217
    double psi =
        PopulationStability.psi(new long[] {250, 250, 250, 250}, new long[] {10, 20, 30, 40});

    assertThat(psi).isCloseTo(0.228217, within(1e-6));
  }

  @Test
  void shouldBeZeroForTheSameSharesAndCountAnEmptyBinAsTheFloor() {
    assertThat(PopulationStability.psi(new long[] {1, 2, 3}, new long[] {10, 20, 30}))
        .isCloseTo(0, within(1e-12));
    // An empty served bin: (1e-4 - 0.5) ln(1e-4 / 0.5) + (1 - 0.5) ln(1 / 0.5) = 4.604318
    assertThat(PopulationStability.psi(new long[] {5, 5}, new long[] {0, 8}))
        .isCloseTo(4.604318, within(1e-6));
  }

  @Test
  void shouldCutTheReferenceIntoEqualSharesAndBinEveryValue() {
    double[] reference = new double[100];
    for (int i = 0; i < 100; i++) {
      reference[i] = i + 1; // 1 .. 100
    }
    var bins = PopulationStability.Bins.ofQuantiles(reference, 4);

    assertThat(bins.upperEdges()).containsExactly(25, 50, 75);
    assertThat(bins.counts(reference)).containsExactly(25, 25, 25, 25);
    assertThat(bins.binOf(-1e9)).isZero();
    assertThat(bins.binOf(25)).isZero();
    assertThat(bins.binOf(25.5)).isEqualTo(1);
    assertThat(bins.binOf(1e9)).isEqualTo(3);
  }

  @Test
  void shouldGiveFewerBinsWhenTheReferenceRepeatsValues() {
    double[] tiers = {0, 0, 0, 0, 1, 1, 1, 2, 2, 2};

    var bins = PopulationStability.Bins.ofQuantiles(tiers, 10);

    assertThat(bins.upperEdges()).containsExactly(0, 1);
    assertThat(bins.counts(tiers)).containsExactly(4, 3, 3);
  }

  @Test
  void shouldLeaveMissingValuesOutOfTheBinsAndCountThemApart() {
    double[] served = {1, Double.NaN, 2, Double.NaN};
    var bins = new PopulationStability.Bins(new double[] {1.5});

    assertThat(bins.counts(served)).containsExactly(1, 1);
    assertThat(PopulationStability.missingRate(served)).isEqualTo(0.5);
    assertThat(PopulationStability.missingRate(new double[0])).isZero();
  }

  @Test
  void shouldFlagAShiftedFeatureAndNotAStableOne() {
    var random = new Random(7);
    double[] training = new double[20_000];
    double[] stable = new double[5_000];
    double[] shifted = new double[5_000];
    for (int i = 0; i < training.length; i++) {
      training[i] = random.nextGaussian();
    }
    for (int i = 0; i < stable.length; i++) {
      stable[i] = random.nextGaussian();
      shifted[i] = random.nextGaussian() + 0.5; // half a standard deviation
    }
    var bins = PopulationStability.Bins.ofQuantiles(training, 10);
    long[] expected = bins.counts(training);

    assertThat(PopulationStability.psi(expected, bins.counts(stable))).isLessThan(0.02);
    assertThat(PopulationStability.psi(expected, bins.counts(shifted))).isGreaterThan(0.2);
  }

  @Test
  void shouldRefuseMismatchedOrEmptySides() {
    assertThatThrownBy(() -> PopulationStability.psi(new long[] {1, 2}, new long[] {1}))
        .hasMessageContaining("same bins");
    assertThatThrownBy(() -> PopulationStability.psi(new long[] {0, 0}, new long[] {1, 1}))
        .hasMessageContaining("values on both sides");
    assertThatThrownBy(() -> PopulationStability.Bins.ofQuantiles(new double[] {Double.NaN}, 10))
        .hasMessageContaining("no values");
    assertThatThrownBy(() -> new PopulationStability.Bins(new double[] {2, 1}))
        .hasMessageContaining("must increase");
  }
}
