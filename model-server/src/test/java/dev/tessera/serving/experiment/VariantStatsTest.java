package dev.tessera.serving.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VariantStatsTest {
  @Test
  void shouldCountNonFiniteOrOutOfRangeScoresAsErrors() {
    var s = new VariantStats();
    s.addPrediction(0.4, 100);
    s.addPrediction(Double.NaN, 100);
    s.addPrediction(Double.POSITIVE_INFINITY, 100);
    s.addPrediction(1.5, 100);
    assertThat(s.predictions()).isEqualTo(4);
    assertThat(s.errors()).isEqualTo(3);
    assertThat(s.errorRate()).isEqualTo(0.75);
    assertThat(new VariantStats().errorRate()).isNaN();
  }

  @Test
  void shouldAverageClippedLogLossOverLabelledRows() {
    var s = new VariantStats();
    s.addLabelled(0.8, 1);
    s.addLabelled(0.3, 0);
    s.addLabelled(0.6, 0);
    s.removeLabelled(0.6, 0);
    assertThat(s.labelled()).isEqualTo(2);
    assertThat(s.logLoss()).isCloseTo((-Math.log(0.8) - Math.log(0.7)) / 2, within(1e-9));
  }

  @Test
  void shouldGiveExactLatencyQuantilesBelowTheSketchSizeAndBoundedErrorAbove() {
    var small = new VariantStats();
    for (int i = 1; i <= 100; i++) {
      small.addPrediction(0.5, i);
    }
    assertThat(small.latencyQuantile(0.5)).isEqualTo(50);
    assertThat(small.latencyQuantile(0.95)).isEqualTo(95);
    assertThat(small.latencyQuantile(0.99)).isEqualTo(99);

    var random = new Random(3);
    var a = new VariantStats();
    var b = new VariantStats();
    var all = new ArrayList<Long>();
    for (int i = 0; i < 100_000; i++) {
      long latency = (long) (200 + random.nextExponential() * 300);
      (i % 2 == 0 ? a : b).addPrediction(0.5, latency);
      all.add(latency);
    }
    a.merge(b);
    Collections.sort(all);
    for (double q : new double[] {0.5, 0.95, 0.99}) {
      double value = a.latencyQuantile(q);
      long below = all.stream().filter(v -> v <= value).count();
      assertThat((double) below / all.size()).isCloseTo(q, within(0.0165));
    }
  }
}
