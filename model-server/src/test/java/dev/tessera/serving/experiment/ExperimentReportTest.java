package dev.tessera.serving.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.serving.drift.DriftStatus;
import dev.tessera.serving.drift.FeatureDrift;
import dev.tessera.serving.drift.ModelDrift;
import dev.tessera.serving.experiment.ExperimentReport.Recommendation;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExperimentReportTest {
  private static final Map<String, Double> HALVES = split(50.0, 50.0);

  private static Map<String, Double> split(double champion, double challenger) {
    var map = new LinkedHashMap<String, Double>();
    map.put("v1", champion);
    map.put("v2", challenger);
    return map;
  }

  /** {@code n} rows whose scores separate the classes by {@code signal} (0: a coin). */
  private static VariantStats variant(
      int n, double signal, long latencyUs, double errorRate, long seed) {
    var random = new Random(seed);
    var s = new VariantStats();
    for (int i = 0; i < n; i++) {
      boolean error = random.nextDouble() < errorRate;
      int label = random.nextDouble() < 0.3 ? 1 : 0;
      double score =
          Math.max(0, Math.min(1, 0.5 + signal * (label - 0.3) + random.nextGaussian() * 0.2));
      s.addPrediction(error ? Double.NaN : score, latencyUs + random.nextInt(50));
      if (!error) {
        s.addLabelled(score, label);
      }
    }
    return s;
  }

  private static Map<String, VariantStats> variants(VariantStats v1, VariantStats v2) {
    var map = new LinkedHashMap<String, VariantStats>();
    map.put("v1", v1);
    map.put("v2", v2);
    return map;
  }

  private static ExperimentReport.Row challenger(ExperimentReport report) {
    return report.variants().get(1);
  }

  @Test
  void shouldPromoteAClearlyBetterChallenger() {
    var report =
        ExperimentReport.of(
            "churn",
            variants(variant(5_000, 0.2, 500, 0, 1), variant(5_000, 0.6, 500, 0, 2)),
            HALVES,
            "v1",
            ReportRules.defaults());
    assertThat(report.variants().get(0).recommendation()).isEqualTo(Recommendation.KEEP);
    assertThat(challenger(report).recommendation()).isEqualTo(Recommendation.PROMOTE);
  }

  @Test
  void shouldRollBackASignificantlyWorseChallenger() {
    var report =
        ExperimentReport.of(
            "churn",
            variants(variant(5_000, 0.6, 500, 0, 1), variant(5_000, 0.2, 500, 0, 2)),
            HALVES,
            "v1",
            ReportRules.defaults());
    assertThat(challenger(report).recommendation()).isEqualTo(Recommendation.ROLL_BACK);
    assertThat(challenger(report).reason()).contains("below the champion's");
  }

  @Test
  void shouldKeepWhenNoDifferenceIsMeasuredPrecisely() {
    var report =
        ExperimentReport.of(
            "churn",
            variants(variant(40_000, 0.4, 500, 0, 1), variant(40_000, 0.4, 500, 0, 2)),
            HALVES,
            "v1",
            ReportRules.defaults());
    assertThat(challenger(report).recommendation()).isEqualTo(Recommendation.KEEP);
  }

  @Test
  void shouldNeedMoreDataBelowTheMinimumOrWithAWideInterval() {
    var few =
        ExperimentReport.of(
            "churn",
            variants(variant(5_000, 0.4, 500, 0, 1), variant(400, 0.4, 500, 0, 2)),
            split(5_000.0, 400.0), // shares are normalised: no mismatch
            "v1",
            ReportRules.defaults());
    assertThat(challenger(few).recommendation()).isEqualTo(Recommendation.NEED_MORE_DATA);
    var wide =
        ExperimentReport.of(
            "churn",
            variants(variant(1_100, 0.1, 500, 0, 1), variant(1_100, 0.1, 500, 0, 1)),
            HALVES,
            "v1",
            ReportRules.defaults());
    assertThat(challenger(wide).recommendation()).isEqualTo(Recommendation.NEED_MORE_DATA);
    assertThat(challenger(wide).reason()).contains("wider than");
  }

  @Test
  void shouldRollBackWhenAGuardrailBreaks() {
    var slow =
        ExperimentReport.of(
            "churn",
            variants(variant(5_000, 0.2, 500, 0, 1), variant(5_000, 0.6, 2_000, 0, 2)),
            HALVES,
            "v1",
            ReportRules.defaults());
    assertThat(challenger(slow).recommendation()).isEqualTo(Recommendation.ROLL_BACK);
    assertThat(challenger(slow).reason()).contains("p99 latency");
    var failing =
        ExperimentReport.of(
            "churn",
            variants(variant(5_000, 0.2, 500, 0, 1), variant(5_000, 0.6, 500, 0.05, 2)),
            HALVES,
            "v1",
            ReportRules.defaults());
    assertThat(challenger(failing).recommendation()).isEqualTo(Recommendation.ROLL_BACK);
    assertThat(challenger(failing).reason()).contains("error rate");
  }

  @Test
  void shouldRollBackOnASampleRatioMismatch() {
    var report =
        ExperimentReport.of(
            "churn",
            variants(variant(8_500, 0.2, 500, 0, 1), variant(1_500, 0.6, 500, 0, 2)),
            split(90.0, 10.0),
            "v1",
            ReportRules.defaults());
    assertThat(report.sampleRatio().mismatch()).isTrue();
    assertThat(challenger(report).recommendation()).isEqualTo(Recommendation.ROLL_BACK);
    assertThat(challenger(report).reason()).contains("sample ratio mismatch");
  }

  @Test
  void shouldRenderATextTableAndJson() throws Exception {
    var report =
        ExperimentReport.of(
            "churn",
            variants(variant(5_000, 0.2, 500, 0, 1), variant(5_000, 0.6, 500, 0, 2)),
            HALVES,
            "v1",
            ReportRules.defaults());
    String text = report.toText();
    assertThat(text)
        .contains("Experiment churn, champion v1")
        .contains("AUC [95% CI]")
        .contains("PROMOTE")
        .contains("Sample ratio: chi2=0.000 df=1 p=1.00 ok");
    var json = new ObjectMapper().readTree(report.toJson());
    assertThat(json.get("endpoint").asText()).isEqualTo("churn");
    assertThat(json.get("sample_ratio").get("mismatch").asBoolean()).isFalse();
    var v2 = json.get("variants").get(1);
    assertThat(v2.get("variant").asText()).isEqualTo("v2");
    assertThat(v2.get("recommendation").asText()).isEqualTo("promote");
    assertThat(v2.get("predictions").asLong()).isEqualTo(5_000);
    assertThat(v2.get("auc").get("value").asDouble())
        .isEqualTo(report.variants().get(1).auc().auc());
    assertThat(v2.get("latency_us").get("p99").isNumber()).isTrue();
  }

  @Test
  void shouldShowEachVariantsDriftStatusAndWorstFeature() throws Exception {
    Instant now = Instant.parse("2026-11-22T10:00:00Z");
    var drifted =
        new ModelDrift(
            "churn",
            "2",
            DriftStatus.ALERT,
            now,
            now.minusSeconds(3600),
            now,
            812,
            0.04,
            DriftStatus.OK,
            List.of(
                new FeatureDrift("orders_30d", 0.612, 0.02, 0.03, DriftStatus.ALERT),
                new FeatureDrift("total_orders", 0.01, 0.0, 0.0, DriftStatus.OK)));
    var report =
        ExperimentReport.of(
                "churn",
                variants(variant(5_000, 0.2, 500, 0, 1), variant(5_000, 0.6, 500, 0, 2)),
                HALVES,
                "v1",
                ReportRules.defaults())
            .withDrift(Map.of("v2", drifted));

    assertThat(report.toText())
        .contains(
            "Drift of v2 (churn v2): alert, worst orders_30d PSI 0.612 missing 2.0% (training"
                + " 3.0%), score PSI 0.040, 812 rows")
        .doesNotContain("Drift of v1");
    var json = new ObjectMapper().readTree(report.toJson());
    assertThat(json.at("/variants/0/drift").isMissingNode()).isTrue();
    var drift = json.at("/variants/1/drift");
    assertThat(drift.get("status").asText()).isEqualTo("alert");
    assertThat(drift.get("worst_feature").asText()).isEqualTo("orders_30d");
    assertThat(drift.get("worst_feature_psi").asDouble()).isEqualTo(0.612);
    assertThat(drift.get("model_version").asText()).isEqualTo("2");
  }
}
