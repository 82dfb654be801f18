package dev.tessera.features.offline;

import java.util.List;

/**
 * Every key of a feature view as of one instant: what the online store would have answered for each
 * key then, as {@link ViewExport#asOf} computes it from the event log.
 *
 * <pre>{@code
 * ViewTable t = ViewExport.asOf(registry, "customer_churn", asOf, log, ProgressListener.NONE, dir);
 * double orders = t.values()[0][t.columns().indexOf("orders_30d")];
 * }</pre>
 *
 * @param view the view's name
 * @param keyColumn the view's entity, e.g. {@code customer_id}
 * @param asOf the instant every row is looked up as of, epoch millis
 * @param columns the view's columns ({@code FeatureView.columns()}), in order
 * @param keys one entity key per row, sorted
 * @param found per row: whether the stores held any data for the key
 * @param eventTimes per row: newest event time behind any of its values, or {@code Long.MIN_VALUE}
 *     when none
 * @param values per row: one value per column (declared defaults where there was no data)
 */
public record ViewTable(
    String view,
    String keyColumn,
    long asOf,
    List<String> columns,
    List<String> keys,
    boolean[] found,
    long[] eventTimes,
    double[][] values) {

  /** Marks a row no event contributed to. */
  public static final long NO_EVENT = Long.MIN_VALUE;

  public ViewTable {
    columns = List.copyOf(columns);
    keys = List.copyOf(keys);
    if (found.length != keys.size()
        || eventTimes.length != keys.size()
        || values.length != keys.size()) {
      throw new IllegalArgumentException("Every row needs a key, found, an event time and values");
    }
  }

  public int rows() {
    return keys.size();
  }
}
