package dev.tessera.serving.retrain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The gates a retrained candidate must pass before it takes traffic: pure arithmetic on figures
 * measured elsewhere, so each rule is tested alone.
 *
 * <pre>{@code
 * List<GateResult> gates = QualityGates.judge(
 *     new QualityGates.Figures(candidate, champion, null, 180.0, 0.04, "orders_30d"), thresholds);
 * boolean pass = QualityGates.allPassed(gates);
 * }</pre>
 */
public final class QualityGates {
  private QualityGates() {}

  /**
   * What the gates look at.
   *
   * @param candidate the candidate on the holdout
   * @param champion the champion on the same holdout
   * @param signatureProblem why the candidate's ONNX input does not fit its feature service, or
   *     null if it does
   * @param latencyP99Micros the candidate's p99 one-row scoring time
   * @param maxPsi the largest PSI of a feature between training rows and holdout
   * @param maxPsiFeature the feature with that PSI
   */
  public record Figures(
      Evaluation candidate,
      Evaluation champion,
      String signatureProblem,
      double latencyP99Micros,
      double maxPsi,
      String maxPsiFeature) {}

  /** Every gate's verdict, in a fixed order. */
  public static List<GateResult> judge(Figures f, GateThresholds t) {
    var gates = new ArrayList<GateResult>();
    double gain = f.candidate().auc() - f.champion().auc();
    gates.add(
        gate(
            "auc_not_worse",
            gain >= -t.aucMaxDrop(),
            String.format(
                Locale.ROOT,
                "AUC %.4f vs champion %.4f (%+.4f); may drop at most %.4f",
                f.candidate().auc(),
                f.champion().auc(),
                gain,
                t.aucMaxDrop()),
            figures("candidate_auc", f.candidate().auc(), "champion_auc", f.champion().auc())));
    gates.add(
        gate(
            "auc_gain",
            gain >= t.aucMinGain(),
            String.format(
                Locale.ROOT, "AUC gain %+.4f; needs at least %+.4f", gain, t.aucMinGain()),
            figures("auc_gain", gain, "min_gain", t.aucMinGain())));
    double allowed = f.champion().logLoss() * (1 + t.logLossMaxIncrease());
    gates.add(
        gate(
            "calibration",
            f.candidate().logLoss() <= allowed,
            String.format(
                Locale.ROOT,
                "log loss %.4f vs champion %.4f; at most %.4f (+%.0f%%)",
                f.candidate().logLoss(),
                f.champion().logLoss(),
                allowed,
                t.logLossMaxIncrease() * 100),
            figures(
                "candidate_log_loss",
                f.candidate().logLoss(),
                "champion_log_loss",
                f.champion().logLoss())));
    gates.add(
        gate(
            "input_signature",
            f.signatureProblem() == null,
            f.signatureProblem() == null
                ? "ONNX input matches the feature service"
                : f.signatureProblem(),
            Map.of()));
    gates.add(
        gate(
            "latency",
            f.latencyP99Micros() <= t.latencyP99MaxMicros(),
            String.format(
                Locale.ROOT,
                "one-row p99 %.0f µs; at most %.0f µs",
                f.latencyP99Micros(),
                t.latencyP99MaxMicros()),
            figures("latency_p99_us", f.latencyP99Micros(), "max_us", t.latencyP99MaxMicros())));
    gates.add(
        gate(
            "training_data_drift",
            f.maxPsi() <= t.driftMaxPsi(),
            String.format(
                Locale.ROOT,
                "largest PSI training vs holdout %.3f (%s); at most %.3f",
                f.maxPsi(),
                f.maxPsiFeature(),
                t.driftMaxPsi()),
            figures("max_psi", f.maxPsi(), "max_allowed", t.driftMaxPsi())));
    return List.copyOf(gates);
  }

  public static boolean allPassed(List<GateResult> gates) {
    return gates.stream().allMatch(GateResult::passed);
  }

  /** The reasons of the failed gates, joined, or empty if all passed. */
  public static String failures(List<GateResult> gates) {
    return String.join(
        "; ",
        gates.stream().filter(g -> !g.passed()).map(g -> g.gate() + ": " + g.reason()).toList());
  }

  private static GateResult gate(
      String name, boolean passed, String reason, Map<String, Double> figures) {
    return new GateResult(name, passed, reason, figures);
  }

  private static Map<String, Double> figures(String k1, double v1, String k2, double v2) {
    var m = new LinkedHashMap<String, Double>();
    m.put(k1, v1);
    m.put(k2, v2);
    return m;
  }
}
