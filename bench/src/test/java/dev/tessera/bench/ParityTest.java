package dev.tessera.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ParityTest {

  @Test
  void shouldFindTheLargestDifferenceAndItsRow() {
    Parity p = Parity.of(new double[] {0.1, 0.5, 0.9}, new double[] {0.1, 0.5000004, 0.8999999});

    assertThat(p.row()).isEqualTo(1);
    assertThat(p.maxDifference()).isCloseTo(4e-7, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(p.check(1e-5)).isSameAs(p);
  }

  @Test
  void shouldRefuseScoresFurtherApartThanTheToleranceNamingTheRow() {
    Parity p = Parity.of(new double[] {0.1, 0.2}, new double[] {0.1, 0.3});

    assertThatThrownBy(() -> p.check(1e-5))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("at row 1");
  }

  @Test
  void shouldCountNanAsInfinitelyFarApart() {
    Parity p = Parity.of(new double[] {0.1, Double.NaN}, new double[] {0.1, 0.2});

    assertThat(p.maxDifference()).isInfinite();
    assertThat(p.row()).isEqualTo(1);
  }

  @Test
  void shouldRefuseSidesOfDifferentLengths() {
    assertThatThrownBy(() -> Parity.of(new double[2], new double[3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 and 3");
  }

  @Test
  void shouldAgreeOnNoRows() {
    assertThat(Parity.of(new double[0], new double[0])).isEqualTo(new Parity(0, -1));
  }
}
