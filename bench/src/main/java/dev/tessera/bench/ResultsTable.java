package dev.tessera.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/** The Markdown table of a bench session: one row per figure, with its target where it has one. */
final class ResultsTable {
  private static final double INGEST_TARGET = 50_000;
  private static final double RATIO_TARGET = 0.5;
  private static final double FRESHNESS_P99_TARGET_MS = 50;
  private static final double REDIS_REFERENCE_P99_US = 90;

  private final Map<String, List<Double>> results;
  private final long budgetSeconds;
  private final StringBuilder out = new StringBuilder();

  /**
   * @param budgetSeconds processing time the shipped views got on the time-ordered history
   */
  ResultsTable(Map<String, List<Double>> results, long budgetSeconds) {
    this.results = results;
    this.budgetSeconds = budgetSeconds;
  }

  String markdown() {
    out.append("| benchmark | median | min–max | target | result |\n");
    out.append("|---|---:|---:|---|---|\n");
    ingestion("ordered", "30 days in event-time order (a replayed live log)");
    misplaced();
    ingestion("shuffled", "the same 30 days shuffled (a bulk backfill)");
    freshness();
    lookups();
    out.append(deadLetters());
    return out.toString();
  }

  private void ingestion(String scenario, String label) {
    String prefix = "ingest." + scenario + ".";
    String shipped = prefix + "shipped.events_per_s";
    String oneCount = prefix + "one-count.events_per_s";
    String what = "ingestion of " + label + ": ";
    String budget =
        results.getOrDefault(prefix + "shipped.committed_share", List.of()).stream()
                .anyMatch(v -> v < 1)
            ? " (over a " + budgetSeconds + " s budget: see next row)"
            : "";
    row(
        what + "shipped views, events/s" + budget,
        shipped,
        "≥ 50,000",
        s -> s.median() >= INGEST_TARGET);
    List<Double> share = results.get(prefix + "shipped.committed_share");
    if (share != null && share.stream().anyMatch(v -> v < 1)) {
      line(
          what + "share of the input the shipped views had committed when the budget ran out, %",
          Summary.of(share.stream().map(v -> v * 100).toList()),
          "100",
          "**"
              + share.stream().filter(v -> v < 1).count()
              + " of "
              + share.size()
              + " runs did not catch up**");
    }
    row(
        what + "shipped views, second half of the budget, events/s",
        prefix + "shipped.second_half_events_per_s",
        "",
        null);
    row(what + "one-count baseline, events/s", oneCount, "", null);
    if (results.containsKey(shipped) && results.containsKey(oneCount)) {
      Summary ratio = Summary.ratio(results.get(shipped), results.get(oneCount));
      line(
          what + "shipped ÷ one-count (runs paired)",
          ratio,
          "≥ 0.5",
          verdict(ratio.median() >= RATIO_TARGET, ratio.median(), "≥ 0.5"));
    }
    row(
        what + "customer_churn + region_orders only (no customer_risk), events/s",
        prefix + "churn-region.events_per_s",
        "",
        null);
    if (share == null || share.stream().allMatch(v -> v == 1)) {
      row(what + "shipped views, time to catch up, s", prefix + "shipped.catch_up_s", "", null);
    }
    row(what + "one-count, time to catch up, s", prefix + "one-count.catch_up_s", "", null);
  }

  /**
   * The time-ordered history with every record on another partition than its key hashes to, as
   * librdkafka's default partitioner puts most keys: each record is moved through {@code
   * <topic>-by-key} before it is counted.
   */
  private void misplaced() {
    String what =
        "ingestion of the same 30 days, every record on another partition than its key hashes"
            + " to (each moved through `<topic>-by-key`): ";
    String misplaced = "ingest.misplaced.shipped.events_per_s";
    row(what + "shipped views, events/s", misplaced, "", null);
    String ordered = "ingest.ordered.shipped.events_per_s";
    if (results.containsKey(misplaced) && results.containsKey(ordered)) {
      line(
          what + "÷ the same events on their keys' partitions (runs paired)",
          Summary.ratio(results.get(misplaced), results.get(ordered)),
          "",
          "");
    }
  }

  private String deadLetters() {
    boolean any =
        results.entrySet().stream()
            .filter(e -> e.getKey().endsWith(".dead_letters"))
            .anyMatch(e -> e.getValue().stream().anyMatch(v -> v > 0));
    return any
        ? "\n**Some input went to the dead-letter topic** (see `.dead_letters` in the results):"
            + " those runs counted fewer events than they read.\n"
        : "\nNo run sent any input to the dead-letter topic.\n";
  }

  private void freshness() {
    row("freshness produce → lookup, p50, ms", "freshness.p50_ms", "", null);
    row(
        "freshness produce → lookup, p99, ms",
        "freshness.p99_ms",
        "≤ 50",
        s -> s.median() <= FRESHNESS_P99_TARGET_MS);
    row("freshness produce → lookup, max, ms", "freshness.max_ms", "", null);
    row(
        "exactly-once commit of the stream thread meanwhile, mean, ms",
        "freshness.commit_latency_avg_ms",
        "",
        null);
    row(
        "exactly-once commit of the stream thread meanwhile, max, ms",
        "freshness.commit_latency_max_ms",
        "",
        null);
    row("freshness samples per run", "freshness.samples", "", null);
    if (results.getOrDefault("freshness.given_up", List.of()).stream().anyMatch(v -> v > 0)) {
      row("freshness orders never visible within 10 s", "freshness.given_up", "0", s -> false);
    }
  }

  private void lookups() {
    Summary redisP99 =
        results.containsKey("redis.hgetall.p99_us")
            ? Summary.of(results.get("redis.hgetall.p99_us"))
            : null;
    double bar = redisP99 == null ? REDIS_REFERENCE_P99_US : redisP99.median();
    String target =
        redisP99 == null
            ? "< ~90 (Redis reference in DESIGN.md)"
            : "< Redis HGETALL p99 (" + number(bar) + ")";
    String columns = count(results, "lookup.churn.columns");
    latency("lookup customer_churn (" + columns + " columns), router", "lookup.churn", target, bar);
    latency("lookup customer_risk with request fields, router", "lookup.risk", "", -1);
    latency("lookup customer_churn, plain FeatureLookup", "lookup.churn-local", "", -1);
    if (redisP99 != null) {
      latency(
          "Redis HGETALL, " + count(results, "redis.hgetall.fields") + " fields, Jedis",
          "redis.hgetall",
          "",
          -1);
    }
  }

  private void latency(String what, String prefix, String target, double p99Bar) {
    row(what + ", p50, µs", prefix + ".p50_us", "", null);
    row(
        what + ", p99, µs",
        prefix + ".p99_us",
        target,
        p99Bar < 0 ? null : s -> s.median() < p99Bar);
    row(what + ", p99.9, µs", prefix + ".p999_us", "", null);
    row(what + ", lookups/s", prefix + ".per_s", "", null);
  }

  private void row(String what, String metric, String target, Predicate<Summary> met) {
    List<Double> values = results.get(metric);
    if (values == null) {
      return;
    }
    Summary s = Summary.of(values);
    String result = met == null ? "" : verdict(met.test(s), s.median(), target);
    line(what, s, target, result);
  }

  private void line(String what, Summary s, String target, String result) {
    out.append("| ")
        .append(what)
        .append(" | ")
        .append(number(s.median()))
        .append(" | ")
        .append(number(s.min()))
        .append("–")
        .append(number(s.max()))
        .append(" | ")
        .append(target)
        .append(" | ")
        .append(result)
        .append(" |\n");
  }

  private static String verdict(boolean met, double median, String target) {
    return met ? "met" : "**missed** (" + number(median) + " against " + target + ")";
  }

  /** A figure rounded to what its size deserves: 61,234 · 412 · 33.1 · 2.35. */
  static String number(double v) {
    double a = Math.abs(v);
    // Thresholds at the rounding edges, so that 999.7 prints as 1,000 and 99.97 as 100.
    String format = a >= 999.5 ? "%,.0f" : a >= 99.95 ? "%.0f" : a >= 9.995 ? "%.1f" : "%.2f";
    return String.format(Locale.ROOT, format, v);
  }

  /** The median of a count-like measurement as a whole number, "?" if it was not measured. */
  static String count(Map<String, List<Double>> results, String metric) {
    List<Double> values = results.get(metric);
    return values == null ? "?" : String.format(Locale.ROOT, "%,.0f", Summary.of(values).median());
  }
}
