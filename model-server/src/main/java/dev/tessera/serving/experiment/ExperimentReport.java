package dev.tessera.serving.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.serving.drift.FeatureDrift;
import dev.tessera.serving.drift.ModelDrift;
import dev.tessera.serving.endpoint.EndpointConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of every variant of an endpoint with a recommendation per challenger, as a text table
 * (for {@code tessera report}) or JSON (for {@code GET
 * /api/2.0/serving-endpoints/{name}/experiment}).
 *
 * <pre>{@code
 * var report = ExperimentReport.of("churn", reader.variants("churn"),
 *     Map.of("churn-v1", 90.0, "churn-v2", 10.0), "churn-v1", ReportRules.defaults());
 * System.out.println(report.toText());
 * }</pre>
 *
 * <p>Rules for a challenger, the first that applies wins (docs/EXPERIMENTS.md):
 *
 * <ol>
 *   <li>sample-ratio mismatch (p &lt; 0.001) → ROLL_BACK: the split is broken, nothing compares;
 *   <li>either side below {@code minPredictions} rows → NEED_MORE_DATA;
 *   <li>error rate above the champion's + {@code maxErrorRateIncrease}, or p99 latency above {@code
 *       maxLatencyP99Ratio} × the champion's → ROLL_BACK (guardrail);
 *   <li>either side below {@code minLabelled} labelled rows or {@code minPerClass} of a class →
 *       NEED_MORE_DATA;
 *   <li>AUC upper bound below the champion's AUC → ROLL_BACK (significantly worse);
 *   <li>AUC lower bound above the champion's AUC → PROMOTE;
 *   <li>AUC interval wider than ± {@code maxCiHalfWidth} → NEED_MORE_DATA;
 *   <li>otherwise KEEP: no difference at this precision, the champion stays.
 * </ol>
 *
 * The champion's own row is KEEP.
 */
public record ExperimentReport(
    String endpoint,
    String champion,
    ReportRules rules,
    SampleRatioTest sampleRatio,
    List<Row> variants,
    Map<String, ModelDrift> drift) {

  public ExperimentReport {
    variants = List.copyOf(variants);
    drift = Collections.unmodifiableMap(new LinkedHashMap<>(drift));
  }

  /**
   * This report with each variant's latest drift figures (variant → the drift of the model version
   * it serves, from the drift monitor); variants without figures are left out.
   */
  public ExperimentReport withDrift(Map<String, ModelDrift> drift) {
    return new ExperimentReport(endpoint, champion, rules, sampleRatio, variants, drift);
  }

  /** What to do with a variant. */
  public enum Recommendation {
    PROMOTE,
    KEEP,
    ROLL_BACK,
    NEED_MORE_DATA
  }

  /** One variant's figures and its recommendation. */
  public record Row(
      String variant,
      boolean champion,
      double configuredPercent,
      long predictions,
      long customers,
      long errors,
      double errorRate,
      long labelled,
      long positives,
      AucEstimate auc,
      double logLoss,
      double accuracy,
      double latencyP50Us,
      double latencyP95Us,
      double latencyP99Us,
      Recommendation recommendation,
      String reason) {}

  /**
   * Builds the report.
   *
   * @param stats figures per variant (e.g. {@link ExperimentReader#variants})
   * @param configuredPercent the configured split, variant → percent of traffic; shadow variants
   *     are absent or 0
   * @param champion the variant the others are compared with
   */
  public static ExperimentReport of(
      String endpoint,
      Map<String, VariantStats> stats,
      Map<String, Double> configuredPercent,
      String champion,
      ReportRules rules) {
    var observed = new LinkedHashMap<String, Long>();
    // Assignment is per customer, so the split is tested on customers; rows of the same customer
    // are not independent draws. Keyless rows (full vectors) leave only rows to count.
    boolean byCustomer = stats.values().stream().allMatch(s -> s.units() > 0);
    stats.forEach((variant, s) -> observed.put(variant, byCustomer ? s.units() : s.predictions()));
    SampleRatioTest srm = SampleRatioTest.of(observed, configuredPercent);
    VariantStats championStats = stats.get(champion);
    var rows = new ArrayList<Row>();
    var names = new ArrayList<String>();
    if (stats.containsKey(champion)) {
      names.add(champion);
    }
    stats.keySet().stream().filter(v -> !v.equals(champion)).forEach(names::add);
    for (String variant : names) {
      VariantStats s = stats.get(variant);
      Verdict verdict =
          variant.equals(champion)
              ? new Verdict(Recommendation.KEEP, "champion")
              : judge(s, championStats, srm, rules);
      rows.add(
          new Row(
              variant,
              variant.equals(champion),
              configuredPercent.getOrDefault(variant, 0.0),
              s.predictions(),
              s.units(),
              s.errors(),
              s.errorRate(),
              s.labelled(),
              s.positives(),
              s.auc(),
              s.logLoss(),
              s.accuracy(rules.threshold()),
              s.latencyQuantile(0.50),
              s.latencyQuantile(0.95),
              s.latencyQuantile(0.99),
              verdict.recommendation,
              verdict.reason));
    }
    return new ExperimentReport(endpoint, champion, rules, srm, List.copyOf(rows), Map.of());
  }

  /**
   * The report of an endpoint's experiment: the champion and configured split from its config, the
   * thresholds from its guardrails.
   */
  public static ExperimentReport of(
      String experimentId, EndpointConfig config, Map<String, VariantStats> stats) {
    var percent = new LinkedHashMap<String, Double>();
    config.routes().forEach(r -> percent.put(r.servedModelName(), (double) r.trafficPercentage()));
    var g = config.guardrails();
    var rules =
        new ReportRules(
            g.minLabelled(),
            Math.max(10, Math.min(50, g.minLabelled() / 10)),
            g.minPredictions(),
            ReportRules.defaults().maxCiHalfWidth(),
            g.maxErrorRateIncrease(),
            g.maxLatencyP99Ratio(),
            ReportRules.defaults().threshold());
    return of(experimentId, stats, percent, config.champion(), rules);
  }

  private record Verdict(Recommendation recommendation, String reason) {}

  static Verdict judge(
      VariantStats challenger, VariantStats champion, SampleRatioTest srm, ReportRules rules) {
    if (srm.mismatch()) {
      return new Verdict(
          Recommendation.ROLL_BACK,
          String.format(
              Locale.ROOT, "sample ratio mismatch (p=%.2g): the split is broken", srm.pValue()));
    }
    if (champion == null) {
      return new Verdict(Recommendation.NEED_MORE_DATA, "no rows of the champion");
    }
    if (challenger.predictions() < rules.minPredictions()
        || champion.predictions() < rules.minPredictions()) {
      return new Verdict(
          Recommendation.NEED_MORE_DATA, "fewer than " + rules.minPredictions() + " rows");
    }
    if (challenger.errorRate() > champion.errorRate() + rules.maxErrorRateIncrease()) {
      return new Verdict(
          Recommendation.ROLL_BACK,
          String.format(
              Locale.ROOT,
              "error rate %.4f above the champion's %.4f + %.4f",
              challenger.errorRate(),
              champion.errorRate(),
              rules.maxErrorRateIncrease()));
    }
    double p99 = challenger.latencyQuantile(0.99);
    double championP99 = champion.latencyQuantile(0.99);
    if (p99 > rules.maxLatencyP99Ratio() * championP99) {
      return new Verdict(
          Recommendation.ROLL_BACK,
          String.format(
              Locale.ROOT,
              "p99 latency %.0f us above %.2f x the champion's %.0f us",
              p99,
              rules.maxLatencyP99Ratio(),
              championP99));
    }
    for (VariantStats s : List.of(challenger, champion)) {
      if (s.labelled() < rules.minLabelled()
          || s.positives() < rules.minPerClass()
          || s.negatives() < rules.minPerClass()) {
        return new Verdict(
            Recommendation.NEED_MORE_DATA,
            "fewer than "
                + rules.minLabelled()
                + " labelled rows or "
                + rules.minPerClass()
                + " of a class");
      }
    }
    AucEstimate c = challenger.auc();
    double reference = champion.auc().auc();
    if (c.upper() < reference) {
      return new Verdict(
          Recommendation.ROLL_BACK,
          String.format(
              Locale.ROOT,
              "AUC %.4f [%.4f, %.4f] below the champion's %.4f",
              c.auc(),
              c.lower(),
              c.upper(),
              reference));
    }
    if (c.lower() > reference) {
      return new Verdict(
          Recommendation.PROMOTE,
          String.format(
              Locale.ROOT,
              "AUC %.4f [%.4f, %.4f] above the champion's %.4f, guardrails hold",
              c.auc(),
              c.lower(),
              c.upper(),
              reference));
    }
    if (c.halfWidth() > rules.maxCiHalfWidth()) {
      return new Verdict(
          Recommendation.NEED_MORE_DATA,
          String.format(
              Locale.ROOT,
              "AUC interval ±%.4f wider than ±%.4f and contains the champion's %.4f",
              c.halfWidth(),
              rules.maxCiHalfWidth(),
              reference));
    }
    return new Verdict(
        Recommendation.KEEP,
        String.format(
            Locale.ROOT,
            "AUC %.4f [%.4f, %.4f] not different from the champion's %.4f",
            c.auc(),
            c.lower(),
            c.upper(),
            reference));
  }

  /** A fixed-width table, one line per variant, then the SRM line and the reasons. */
  public String toText() {
    var out = new StringBuilder();
    out.append("Experiment ").append(endpoint).append(", champion ").append(champion).append('\n');
    String header =
        String.format(
            Locale.ROOT,
            "%-20s %6s %9s %9s %7s %9s %9s %24s %8s %8s %9s %9s %9s  %s%n",
            "variant",
            "split%",
            "rows",
            "customers",
            "errors%",
            "labelled",
            "positive",
            "AUC [95% CI]",
            "logloss",
            "acc@" + trim(rules.threshold()),
            "p50 us",
            "p95 us",
            "p99 us",
            "recommendation");
    out.append(header);
    for (Row r : variants) {
      out.append(
          String.format(
              Locale.ROOT,
              "%-20s %6.1f %9d %9d %7.2f %9d %9d %24s %8.4f %8.4f %9.0f %9.0f %9.0f  %s%n",
              r.variant(),
              r.configuredPercent(),
              r.predictions(),
              r.customers(),
              100 * r.errorRate(),
              r.labelled(),
              r.positives(),
              String.format(
                  Locale.ROOT,
                  "%.4f [%.4f, %.4f]",
                  r.auc().auc(),
                  r.auc().lower(),
                  r.auc().upper()),
              r.logLoss(),
              r.accuracy(),
              r.latencyP50Us(),
              r.latencyP95Us(),
              r.latencyP99Us(),
              r.recommendation()));
    }
    out.append(
        String.format(
            Locale.ROOT,
            "Sample ratio: chi2=%.3f df=%d p=%.3g %s%n",
            sampleRatio.chiSquare(),
            sampleRatio.degreesOfFreedom(),
            sampleRatio.pValue(),
            sampleRatio.mismatch() ? "MISMATCH (p < 0.001)" : "ok"));
    for (Row r : variants) {
      out.append(r.variant()).append(": ").append(r.reason()).append('\n');
    }
    for (Row r : variants) {
      ModelDrift d = drift.get(r.variant());
      if (d != null) {
        out.append(driftLine(r.variant(), d)).append('\n');
      }
    }
    for (Row r : variants) {
      AucEstimate lift = lift(r);
      if (lift != null && Double.isFinite(lift.auc())) {
        out.append(
            String.format(
                Locale.ROOT,
                "AUC lift of %s over %s: %+.4f [%+.4f, %+.4f]%n",
                r.variant(),
                champion,
                lift.auc(),
                lift.lower(),
                lift.upper()));
      }
    }
    return out.toString();
  }

  /**
   * A variant's AUC minus the champion's with a 95% interval; the variants score disjoint
   * customers, so their AUC estimates are independent and the variances add. Null for the champion
   * or without a champion row.
   */
  public AucEstimate lift(Row row) {
    Row base = variants.stream().filter(Row::champion).findFirst().orElse(null);
    if (base == null || row.champion()) {
      return null;
    }
    double diff = row.auc().auc() - base.auc().auc();
    double se =
        Math.sqrt(
            row.auc().standardError() * row.auc().standardError()
                + base.auc().standardError() * base.auc().standardError());
    return new AucEstimate(diff, se, diff - AucEstimate.Z95 * se, diff + AucEstimate.Z95 * se);
  }

  /** e.g. {@code Drift of challenger (churn v2): alert, worst orders_30d PSI 0.612, 812 rows}. */
  private static String driftLine(String variant, ModelDrift d) {
    var line =
        new StringBuilder(
            "Drift of "
                + variant
                + " ("
                + d.model()
                + " v"
                + d.version()
                + "): "
                + d.status().label());
    d.worstFeature()
        .ifPresent(
            f ->
                line.append(
                    String.format(
                        Locale.ROOT,
                        ", worst %s PSI %.3f missing %.1f%% (training %.1f%%)",
                        f.feature(),
                        f.psi(),
                        100 * f.missingRate(),
                        100 * f.referenceMissingRate())));
    if (Double.isFinite(d.scorePsi())) {
      line.append(String.format(Locale.ROOT, ", score PSI %.3f", d.scorePsi()));
    }
    return line.append(", ").append(d.rows()).append(" rows").toString();
  }

  private static String trim(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }

  /** The report as JSON; undefined figures (NaN) are null. */
  public String toJson() {
    var mapper = new ObjectMapper();
    try {
      return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(toJsonTree());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Could not write the report of " + endpoint + " as JSON", e);
    }
  }

  /** The report as a JSON tree, for embedding in a larger answer. */
  public ObjectNode toJsonTree() {
    var mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("endpoint", endpoint);
    root.put("champion", champion);
    root.put("threshold", rules.threshold());
    ObjectNode srm = root.putObject("sample_ratio");
    srm.put("chi_square", sampleRatio.chiSquare());
    srm.put("degrees_of_freedom", sampleRatio.degreesOfFreedom());
    srm.put("p_value", sampleRatio.pValue());
    srm.put("mismatch", sampleRatio.mismatch());
    ArrayNode rows = root.putArray("variants");
    for (Row r : variants) {
      ObjectNode row = rows.addObject();
      row.put("variant", r.variant());
      row.put("champion", r.champion());
      row.put("configured_percent", r.configuredPercent());
      row.put("predictions", r.predictions());
      row.put("customers", r.customers());
      row.put("errors", r.errors());
      number(row, "error_rate", r.errorRate());
      row.put("labelled", r.labelled());
      row.put("positives", r.positives());
      ObjectNode auc = row.putObject("auc");
      number(auc, "value", r.auc().auc());
      number(auc, "standard_error", r.auc().standardError());
      number(auc, "ci95_lower", r.auc().lower());
      number(auc, "ci95_upper", r.auc().upper());
      number(row, "log_loss", r.logLoss());
      number(row, "accuracy", r.accuracy());
      ObjectNode latency = row.putObject("latency_us");
      number(latency, "p50", r.latencyP50Us());
      number(latency, "p95", r.latencyP95Us());
      number(latency, "p99", r.latencyP99Us());
      AucEstimate lift = lift(r);
      if (lift != null) {
        ObjectNode l = row.putObject("auc_lift");
        number(l, "value", lift.auc());
        number(l, "ci95_lower", lift.lower());
        number(l, "ci95_upper", lift.upper());
      }
      row.put("recommendation", r.recommendation().name().toLowerCase(Locale.ROOT));
      row.put("reason", r.reason());
      ModelDrift d = drift.get(r.variant());
      if (d != null) {
        ObjectNode n = row.putObject("drift");
        n.put("model_version", d.version());
        n.put("status", d.status().label());
        n.put("rows", d.rows());
        number(n, "score_psi", d.scorePsi());
        n.put("worst_feature", d.worstFeature().map(FeatureDrift::feature).orElse(null));
        number(n, "worst_feature_psi", d.worstFeature().map(FeatureDrift::psi).orElse(Double.NaN));
      }
    }
    return root;
  }

  private static void number(ObjectNode node, String field, double value) {
    if (Double.isFinite(value)) {
      node.put(field, value);
    } else {
      node.putNull(field);
    }
  }
}
