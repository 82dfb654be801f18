package dev.tessera.features.query;

import dev.tessera.features.aggregate.Partials;
import java.util.List;

/**
 * The values of a view's columns for one key at one time, with the event time of the newest event
 * behind each value.
 *
 * @param view view the values come from
 * @param key entity key
 * @param asOf lookup time, epoch millis
 * @param found whether the stores held any data for the key
 * @param names column names, in the view's order
 * @param values column values (declared defaults where there was no data)
 * @param eventTimes newest contributing event time per column, {@link Partials#NO_EVENT} if none
 * @param storeLag how many changelog records the replica that answered was behind (0 for an active
 *     store in RUNNING state; -1 if unknown)
 * @param servedBy the node that read the stores ({@code host:port}, or "local")
 */
public record FeatureVector(
    String view,
    String key,
    long asOf,
    boolean found,
    List<String> names,
    double[] values,
    long[] eventTimes,
    long storeLag,
    String servedBy) {

  /** Value of the named column. */
  public double value(String name) {
    return values[indexOf(name)];
  }

  /** Newest contributing event time of the named column. */
  public long eventTime(String name) {
    return eventTimes[indexOf(name)];
  }

  private int indexOf(String name) {
    int i = names.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException("No feature " + name + " in " + names);
    }
    return i;
  }

  /**
   * This vector as served by {@code node} from a replica {@code lag} records behind; it keeps a
   * larger lag of its own (a related view read from a lagging replica).
   */
  public FeatureVector servedBy(String node, long lag) {
    return new FeatureVector(
        view, key, asOf, found, names, values, eventTimes, Math.max(lag, storeLag), node);
  }
}
