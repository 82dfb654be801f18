package dev.tessera.serving.retrain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class QualityGatesTest {
  private static final GateThresholds THRESHOLDS =
      new GateThresholds(0.01, 0.005, 0.05, 2000, 0.25);
  private static final Evaluation CHAMPION = new Evaluation(0.80, 0.40, 500, 100);

  private static List<GateResult> judge(
      Evaluation candidate, String signature, double p99, double psi) {
    return QualityGates.judge(
        new QualityGates.Figures(candidate, CHAMPION, signature, p99, psi, "orders_30d"),
        THRESHOLDS);
  }

  private static List<String> failed(List<GateResult> gates) {
    return gates.stream().filter(g -> !g.passed()).map(GateResult::gate).toList();
  }

  @Test
  void shouldPassABetterCalibratedFastStableCandidate() {
    var gates = judge(new Evaluation(0.86, 0.35, 500, 100), null, 150, 0.03);
    assertThat(QualityGates.allPassed(gates)).isTrue();
    assertThat(gates)
        .extracting(GateResult::gate)
        .containsExactly(
            "auc_not_worse",
            "auc_gain",
            "calibration",
            "input_signature",
            "latency",
            "training_data_drift");
    assertThat(QualityGates.failures(gates)).isEmpty();
  }

  @Test
  void shouldRejectACandidateWorseThanTheChampionByMoreThanTheMargin() {
    var gates = judge(new Evaluation(0.78, 0.40, 500, 100), null, 150, 0.03);
    assertThat(failed(gates)).containsExactly("auc_not_worse", "auc_gain");
    assertThat(QualityGates.failures(gates))
        .contains("AUC 0.7800 vs champion 0.8000 (-0.0200); may drop at most 0.0100");
  }

  @Test
  void shouldStopACandidateNoBetterThanTheMinimumGain() {
    var gates = judge(new Evaluation(0.803, 0.40, 500, 100), null, 150, 0.03);
    assertThat(failed(gates)).containsExactly("auc_gain");
    assertThat(gates.get(1).figures()).containsEntry("min_gain", 0.005);
  }

  @Test
  void shouldRejectAWorseCalibratedCandidate() {
    // 0.40 × 1.05 = 0.42 is the most allowed.
    assertThat(failed(judge(new Evaluation(0.86, 0.421, 500, 100), null, 150, 0.03)))
        .containsExactly("calibration");
    assertThat(failed(judge(new Evaluation(0.86, 0.419, 500, 100), null, 150, 0.03))).isEmpty();
  }

  @Test
  void shouldRejectAWrongSignatureASlowModelAndDriftedTrainingData() {
    var gates =
        judge(
            new Evaluation(0.86, 0.35, 500, 100),
            "input has 3 columns, churn_v2 has 11",
            2500,
            0.4);
    assertThat(failed(gates)).containsExactly("input_signature", "latency", "training_data_drift");
    assertThat(QualityGates.failures(gates))
        .contains("input has 3 columns")
        .contains("one-row p99 2500 µs; at most 2000 µs")
        .contains("largest PSI training vs holdout 0.400 (orders_30d); at most 0.250");
  }
}
