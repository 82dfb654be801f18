package dev.tessera.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The Markdown table of the predict benchmark: Tessera's predict and the no-op Javalin handler side
 * by side per rate, their ratio (runs paired), and the targets of DESIGN.md where they apply.
 */
final class PredictTable {
  static final int TARGET_RATE = 1_000;
  private static final double P50_TARGET_MS = 0.7;
  private static final double P99_TARGET_MS = 2;
  private static final double LATENCY_RATIO_TARGET = 2;
  private static final double THROUGHPUT_RATIO_TARGET = 0.25;

  private final Map<String, List<Double>> results;
  private final StringBuilder out = new StringBuilder();

  PredictTable(Map<String, List<Double>> results) {
    this.results = results;
  }

  /** Whether the results hold any predict figures. */
  static boolean present(Map<String, List<Double>> results) {
    return results.keySet().stream().anyMatch(k -> k.startsWith("predict.tessera."));
  }

  /** The rates measured, in requests per second, lowest first. */
  static List<Integer> rates(Map<String, List<Double>> results) {
    var rates = new TreeSet<Integer>();
    for (String name : results.keySet()) {
      String[] parts = name.split("\\.");
      if (parts.length == 4 && parts[0].equals("predict") && parts[2].matches("[0-9]+")) {
        rates.add(Integer.parseInt(parts[2]));
      }
    }
    return new ArrayList<>(rates);
  }

  String markdown() {
    out.append(
        "| figure | Tessera predict | no-op Javalin | Tessera ÷ no-op | target | result |\n");
    out.append("|---|---:|---:|---:|---|---|\n");
    for (int rate : rates(results)) {
      String at = String.format(Locale.ROOT, "%,d req/s", rate);
      boolean target = rate == TARGET_RATE;
      latency(at + ": p50, ms", rate + ".p50_ms", target ? P50_TARGET_MS : -1);
      latency(at + ": p99, ms", rate + ".p99_ms", target ? P99_TARGET_MS : -1);
      latency(at + ": p99.9, ms", rate + ".p999_ms", -1);
      latency(at + ": max, ms", rate + ".max_ms", -1);
      row(at + ": answered, req/s", rate + ".per_s", "", "");
      row(
          at + ": load generator's own delay (sent after intended start), p50, ms",
          rate + ".late_p50_ms",
          "",
          "");
      row(
          at + ": load generator's own delay (sent after intended start), p99, ms",
          rate + ".late_p99_ms",
          "",
          "");
      errors(at, rate + ".errors");
    }
    String max = "predict.tessera.max_per_s";
    String noopMax = "predict.noop.max_per_s";
    if (results.containsKey(max) && results.containsKey(noopMax)) {
      Summary ratio = Summary.ratio(results.get(max), results.get(noopMax));
      line(
          "most req/s, closed loop, "
              + ResultsTable.count(results, "predict.max_workers")
              + " connections",
          cell(max),
          cell(noopMax),
          cell(ratio),
          "≥ 0.25 of no-op",
          verdict(ratio.median() >= THROUGHPUT_RATIO_TARGET, ratio.median(), "≥ 0.25"));
    }
    return out.toString();
  }

  /** A latency row; with {@code bar > 0}, checked against it and against 2× the no-op's. */
  private void latency(String what, String metric, double bar) {
    String ours = "predict.tessera." + metric;
    String theirs = "predict.noop." + metric;
    if (!results.containsKey(ours) || !results.containsKey(theirs)) {
      return;
    }
    Summary ratio = Summary.ratio(results.get(ours), results.get(theirs));
    String target = "";
    String result = "";
    if (bar > 0) {
      double median = Summary.of(results.get(ours)).median();
      target = "≤ " + ResultsTable.number(bar) + " and ≤ 2× no-op";
      result =
          verdict(median <= bar, median, "≤ " + ResultsTable.number(bar))
              + "; "
              + verdict(ratio.median() <= LATENCY_RATIO_TARGET, ratio.median(), "≤ 2×");
    }
    line(what, cell(ours), cell(theirs), cell(ratio), target, result);
  }

  private void row(String what, String metric, String target, String result) {
    String ours = "predict.tessera." + metric;
    String theirs = "predict.noop." + metric;
    if (!results.containsKey(ours) || !results.containsKey(theirs)) {
      return;
    }
    line(what, cell(ours), cell(theirs), "", target, result);
  }

  private void errors(String at, String metric) {
    double ours = total("predict.tessera." + metric);
    double theirs = total("predict.noop." + metric);
    if (ours > 0 || theirs > 0) {
      line(
          at + ": **failed requests, all runs**",
          ResultsTable.number(ours),
          ResultsTable.number(theirs),
          "",
          "0",
          "**requests failed**");
    }
  }

  private double total(String metric) {
    return results.getOrDefault(metric, List.of()).stream().mapToDouble(Double::doubleValue).sum();
  }

  private String cell(String metric) {
    return cell(Summary.of(results.get(metric)));
  }

  /** Median, with the min–max of the runs when there was more than one. */
  static String cell(Summary s) {
    String median = ResultsTable.number(s.median());
    return s.runs() == 1
        ? median
        : median + " (" + ResultsTable.number(s.min()) + "–" + ResultsTable.number(s.max()) + ")";
  }

  private void line(
      String what, String ours, String theirs, String ratio, String target, String result) {
    out.append("| ")
        .append(String.join(" | ", what, ours, theirs, ratio, target, result))
        .append(" |\n");
  }

  private static String verdict(boolean met, double median, String target) {
    return met ? "met" : "**missed** (" + ResultsTable.number(median) + " against " + target + ")";
  }
}
