package dev.tessera.serving.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class StatisticsTest {
  @Test
  void shouldMatchChiSquareTableValues() {
    // Critical values from standard chi-square tables.
    assertThat(Statistics.chiSquareSurvival(10.828, 1)).isCloseTo(0.001, within(2e-6));
    assertThat(Statistics.chiSquareSurvival(3.841, 1)).isCloseTo(0.05, within(2e-5));
    assertThat(Statistics.chiSquareSurvival(6.635, 1)).isCloseTo(0.01, within(1e-5));
    assertThat(Statistics.chiSquareSurvival(5.991, 2)).isCloseTo(0.05, within(2e-5));
    assertThat(Statistics.chiSquareSurvival(13.816, 2)).isCloseTo(0.001, within(2e-6));
    assertThat(Statistics.chiSquareSurvival(9.488, 4)).isCloseTo(0.05, within(2e-5));
    assertThat(Statistics.chiSquareSurvival(18.307, 10)).isCloseTo(0.05, within(2e-5));
    assertThat(Statistics.chiSquareSurvival(124.342, 100)).isCloseTo(0.05, within(2e-5));
  }

  @Test
  void shouldMatchClosedFormsOfTheChiSquareSurvival() {
    for (double x : new double[] {0.01, 0.5, 1, 2, 5, 10, 30, 80}) {
      // df = 2: exp(-x/2); df = 1: erfc(sqrt(x/2)) = 2 (1 - Φ(sqrt x)).
      assertThat(Statistics.chiSquareSurvival(x, 2)).isCloseTo(Math.exp(-x / 2), within(1e-13));
      // df = 4: (1 + x/2) exp(-x/2).
      assertThat(Statistics.chiSquareSurvival(x, 4))
          .isCloseTo((1 + x / 2) * Math.exp(-x / 2), within(1e-13));
    }
    assertThat(Statistics.chiSquareSurvival(0, 3)).isEqualTo(1.0);
    assertThat(Statistics.chiSquareSurvival(1.0, 1)).isCloseTo(0.31731050786291415, within(1e-12));
    assertThat(Statistics.chiSquareSurvival(2000, 1)).isGreaterThanOrEqualTo(0).isLessThan(1e-300);
  }

  @Test
  void shouldComputeLogGammaOfKnownValues() {
    assertThat(Statistics.logGamma(1)).isCloseTo(0, within(1e-14));
    assertThat(Statistics.logGamma(0.5)).isCloseTo(0.5 * Math.log(Math.PI), within(1e-14));
    assertThat(Statistics.logGamma(10)).isCloseTo(Math.log(362_880), within(1e-12));
    // Python math.lgamma(100.5)
    assertThat(Statistics.logGamma(100.5)).isCloseTo(361.4355404677776, within(1e-9));
  }

  @Test
  void shouldClipLogLoss() {
    assertThat(Statistics.logLoss(0.8, 1)).isCloseTo(-Math.log(0.8), within(1e-15));
    assertThat(Statistics.logLoss(0.8, 0)).isCloseTo(-Math.log(0.2), within(1e-15));
    assertThat(Statistics.logLoss(0.0, 1)).isCloseTo(-Math.log(1e-15), within(1e-12));
    assertThat(Statistics.logLoss(1.0, 0)).isCloseTo(34.538776394910684, within(1e-3));
    assertThat(Statistics.logLossNanos(0.5, 1)).isEqualTo(693_147_181L);
  }

  @Test
  void shouldRefuseAChiSquareWithoutDegreesOfFreedom() {
    assertThatThrownBy(() -> Statistics.chiSquareSurvival(1, 0))
        .hasMessageContaining("at least 1 degree of freedom, got 0");
  }
}
