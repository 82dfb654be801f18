package dev.tessera.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/**
 * The Markdown table of the scoring benchmark: ONNX Runtime and XGBoost4J side by side for one row
 * per call and for batches, how many times faster ONNX Runtime is (runs paired), and the figures
 * DESIGN.md recorded on this machine before.
 */
final class ScoringTable {
  private static final String[] ENGINES = {"onnx", "xgboost"};

  private final Map<String, List<Double>> results;
  private final StringBuilder out = new StringBuilder();

  ScoringTable(Map<String, List<Double>> results) {
    this.results = results;
  }

  /** Whether the results hold any scoring figures. */
  static boolean present(Map<String, List<Double>> results) {
    return results.keySet().stream().anyMatch(k -> k.startsWith("scoring.onnx."));
  }

  String markdown() {
    out.append(
        "| figure | ONNX Runtime (`OnnxScorer`) | XGBoost4J (`Booster.predict`)"
            + " | ONNX Runtime faster by (×) | DESIGN.md, earlier on this machine |\n");
    out.append("|---|---:|---:|---:|---|\n");
    String batch = "batch" + ScoringBench.BATCH;
    String perBatch = "batches of " + ScoringBench.BATCH + " rows";
    latency("one row per call: p50 per call, µs", "row.p50_us", "~6–11 vs ~75 µs per row");
    latency("one row per call: p99 per call, µs", "row.p99_us", "");
    latency("one row per call: p99.9 per call, µs", "row.p999_us", "");
    throughput("one row per call: rows/s", "row.rows_per_s", "");
    perRow("one row per call: mean time per row, µs", "row.rows_per_s", "");
    latency(perBatch + ": p50 per call, µs", batch + ".p50_us", "");
    latency(perBatch + ": p99 per call, µs", batch + ".p99_us", "");
    latency(perBatch + ": p99.9 per call, µs", batch + ".p999_us", "");
    throughput(perBatch + ": rows/s", batch + ".rows_per_s", "");
    perRow(
        perBatch + ": mean time per row, µs",
        batch + ".rows_per_s",
        "XGBoost4J faster than ONNX Runtime at batch 100");
    return out.toString();
  }

  /** Latency: the factor is XGBoost4J's time over ONNX Runtime's. */
  private void latency(String what, String metric, String reference) {
    List<List<Double>> values = values(metric);
    if (values == null) {
      return;
    }
    line(what, values, Summary.ratio(values.get(1), values.get(0)), reference, v -> v);
  }

  /** Throughput: the factor is ONNX Runtime's rows/s over XGBoost4J's. */
  private void throughput(String what, String metric, String reference) {
    List<List<Double>> values = values(metric);
    if (values == null) {
      return;
    }
    line(what, values, Summary.ratio(values.get(0), values.get(1)), reference, v -> v);
  }

  /** Mean time per row from the rows/s of each run. */
  private void perRow(String what, String metric, String reference) {
    List<List<Double>> values = values(metric);
    if (values == null) {
      return;
    }
    line(
        what,
        values,
        Summary.ratio(values.get(0), values.get(1)),
        reference,
        perSecond -> 1e6 / perSecond);
  }

  private List<List<Double>> values(String metric) {
    var values = new ArrayList<List<Double>>();
    for (String engine : ENGINES) {
      List<Double> v = results.get("scoring." + engine + "." + metric);
      if (v == null) {
        return null;
      }
      values.add(v);
    }
    return values;
  }

  private void line(
      String what,
      List<List<Double>> values,
      Summary factor,
      String reference,
      DoubleUnaryOperator shown) {
    var cells = new ArrayList<String>();
    cells.add(what);
    for (List<Double> v : values) {
      cells.add(PredictTable.cell(Summary.of(v.stream().map(shown::applyAsDouble).toList())));
    }
    cells.add(PredictTable.cell(factor));
    cells.add(reference);
    out.append("| ").append(String.join(" | ", cells)).append(" |\n");
  }
}
