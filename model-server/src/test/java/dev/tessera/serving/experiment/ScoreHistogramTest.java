package dev.tessera.serving.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ScoreHistogramTest {
  @Test
  void shouldComputeAHandCheckedAucWithTies() {
    var h = new ScoreHistogram();
    // Positives 0.9, 0.5, 0.3; negatives 0.5, 0.2. Pairs: (0.9>0.5)1 (0.9>0.2)1 (0.5=0.5)½
    // (0.5>0.2)1 (0.3<0.5)0 (0.3>0.2)1 → 4.5 / 6 = 0.75.
    for (double s : new double[] {0.9, 0.5, 0.3}) {
      h.add(s, 1);
    }
    h.add(0.5, 0);
    h.add(0.2, 0);
    AucEstimate auc = h.auc();
    assertThat(auc.auc()).isEqualTo(0.75);
    // DeLong by hand: V10 = {1, .75, .5} → mean .75, S10 = (.0625 + 0 + .0625) / 2 = .0625;
    // V01 = {(1 + .5·1)/3 = .5, 1} → S01 = 2 · .0625 / 1 = .125; var = .0625/3 + .125/2.
    double se = Math.sqrt(0.0625 / 3 + 0.125 / 2);
    assertThat(auc.standardError()).isCloseTo(se, within(1e-15));
    assertThat(auc.lower()).isCloseTo(Math.max(0, 0.75 - 1.959963984540054 * se), within(1e-15));
    assertThat(auc.upper()).isEqualTo(1.0);
  }

  @Test
  void shouldEqualABruteForceMannWhitneyAndDeLong() {
    var random = new Random(11);
    var h = new ScoreHistogram();
    var pos = new ArrayList<Double>();
    var neg = new ArrayList<Double>();
    for (int i = 0; i < 3_000; i++) {
      int label = random.nextDouble() < 0.2 ? 1 : 0;
      // Coarse scores make many ties; the shift makes the model informative.
      double score =
          Math.min(1, Math.round((random.nextDouble() * 0.8 + 0.2 * label) * 200) / 200.0);
      h.add(score, label);
      (label == 1 ? pos : neg).add(ScoreHistogram.bin(score) / 10_000.0);
    }
    long twiceU = 0;
    double[] v10 = new double[pos.size()];
    double[] v01 = new double[neg.size()];
    for (int i = 0; i < pos.size(); i++) {
      for (int j = 0; j < neg.size(); j++) {
        int c = Double.compare(pos.get(i), neg.get(j));
        int twice = c > 0 ? 2 : c == 0 ? 1 : 0;
        twiceU += twice;
        v10[i] += twice / 2.0;
        v01[j] += twice / 2.0;
      }
    }
    double auc = twiceU / (2.0 * pos.size() * neg.size());
    for (int i = 0; i < v10.length; i++) {
      v10[i] /= neg.size();
    }
    for (int j = 0; j < v01.length; j++) {
      v01[j] /= pos.size();
    }
    double variance = sampleVariance(v10, auc) / v10.length + sampleVariance(v01, auc) / v01.length;
    assertThat(h.auc().auc()).isEqualTo(auc);
    assertThat(h.auc().standardError()).isCloseTo(Math.sqrt(variance), within(1e-12));
    assertThat(h.count()).isEqualTo(3_000);
  }

  private static double sampleVariance(double[] values, double mean) {
    double sum = 0;
    for (double v : values) {
      sum += (v - mean) * (v - mean);
    }
    return sum / (values.length - 1);
  }

  @Test
  void shouldCountAccuracyAtAThresholdOnRoundedScores() {
    var h = new ScoreHistogram();
    h.add(0.7, 1); // right
    h.add(0.5, 1); // right: at the threshold counts as positive
    h.add(0.49994, 0); // rounds to 0.4999: right
    h.add(0.49996, 0); // rounds to 0.5: wrong, as documented
    h.add(0.2, 1); // wrong
    assertThat(h.accuracy(0.5)).isEqualTo(3 / 5.0);
    assertThat(new ScoreHistogram().accuracy(0.5)).isNaN();
  }

  @Test
  void shouldTakeBackARowAndMergePartials() {
    var whole = new ScoreHistogram();
    var a = new ScoreHistogram();
    var b = new ScoreHistogram();
    List<double[]> rows =
        List.of(new double[] {0.1, 0}, new double[] {0.8, 1}, new double[] {0.4, 1});
    for (int i = 0; i < rows.size(); i++) {
      whole.add(rows.get(i)[0], (int) rows.get(i)[1]);
      (i % 2 == 0 ? a : b).add(rows.get(i)[0], (int) rows.get(i)[1]);
    }
    b.add(0.3, 0);
    b.remove(0.3, 0);
    a.merge(b);
    assertThat(a).isEqualTo(whole);
    assertThat(a.auc()).isEqualTo(whole.auc());
  }

  @Test
  void shouldBeUndefinedWithOneClass() {
    var h = new ScoreHistogram();
    h.add(0.3, 1);
    assertThat(h.auc().auc()).isNaN();
  }
}
