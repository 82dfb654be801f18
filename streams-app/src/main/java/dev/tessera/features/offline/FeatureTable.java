package dev.tessera.features.offline;

import java.util.List;

/**
 * A point-in-time training set in memory: for every label row, in the label set's order, the key,
 * the instant, the label and the feature service's columns as the online store would have served
 * them then.
 *
 * <pre>{@code
 * FeatureTable t = OfflineEngine.trainingSet(registry, "churn_v2", labels, log, ProgressListener.NONE);
 * double ordersAtRow0 = t.values()[0][t.columns().indexOf("orders_30d")];
 * }</pre>
 *
 * @param service the feature service whose columns these are
 * @param columns column names, in the model's input order
 * @param keys entity key per row
 * @param times as-of instant per row, epoch millis
 * @param labels label per row
 * @param values one array of column values per row
 * @param defaulted per row and column: whether no event contributed to the value (it is the
 *     declared default, or a customer-row value, which has no event time), the rule a node logs a
 *     served value's {@code found} by; {@code null} if unknown
 */
public record FeatureTable(
    String service,
    List<String> columns,
    List<String> keys,
    long[] times,
    int[] labels,
    double[][] values,
    boolean[][] defaulted) {

  /** A table without {@code defaulted} marks. */
  public FeatureTable(
      String service,
      List<String> columns,
      List<String> keys,
      long[] times,
      int[] labels,
      double[][] values) {
    this(service, columns, keys, times, labels, values, null);
  }

  public FeatureTable {
    columns = List.copyOf(columns);
    keys = List.copyOf(keys);
    if (times.length != keys.size()
        || labels.length != keys.size()
        || values.length != keys.size()
        || defaulted != null && defaulted.length != keys.size()) {
      throw new IllegalArgumentException("Every row needs a key, a time, a label and values");
    }
  }

  public int rows() {
    return keys.size();
  }
}
