package dev.tessera.bench;

import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/** The Markdown table of the restore benchmark: one row per figure, median and min–max. */
final class RestoreTable {
  private final Map<String, List<Double>> results;
  private final StringBuilder out = new StringBuilder();

  RestoreTable(Map<String, List<Double>> results) {
    this.results = results;
  }

  /** Whether the results hold any restore figures. */
  static boolean present(Map<String, List<Double>> results) {
    return results.containsKey("restore.seconds");
  }

  String markdown() {
    out.append("| figure | median | min–max |\n");
    out.append("|---|---:|---:|\n");
    row("changelog on the broker, MB", "restore.changelog_bytes", b -> b / 1e6);
    row("records restored", "restore.records", v -> v);
    row("restore, start → every store restored and RUNNING, s", "restore.seconds", v -> v);
    row("of which restoring (first store started → last ended), s", "restore.listener_s", v -> v);
    row("**seconds per GB of changelog**", "restore.s_per_gb", v -> v);
    row("MB of changelog per second", "restore.mb_per_s", v -> v);
    row("records restored per second", "restore.records_per_s", v -> v);
    row("changelog partitions", "restore.changelog_partitions", v -> v);
    row(
        "local state (RocksDB files) after restoring, MB",
        "restore.local_bytes_after",
        b -> b / 1e6);
    row(
        "local state before the state dir was deleted, MB",
        "restore.local_bytes_before",
        b -> b / 1e6);
    row("building that state from the input topics first, s", "restore.fill_s", v -> v);
    if (results.getOrDefault("restore.suspensions", List.of()).stream().anyMatch(v -> v > 0)) {
      row("**restores suspended by a rebalance**", "restore.suspensions", v -> v);
    }
    return out.toString();
  }

  private void row(String what, String metric, DoubleUnaryOperator shown) {
    List<Double> values = results.get(metric);
    if (values == null) {
      return;
    }
    Summary s = Summary.of(values.stream().map(shown::applyAsDouble).toList());
    out.append("| ")
        .append(what)
        .append(" | ")
        .append(ResultsTable.number(s.median()))
        .append(" | ")
        .append(ResultsTable.number(s.min()))
        .append("–")
        .append(ResultsTable.number(s.max()))
        .append(" |\n");
  }
}
