package dev.tessera.features.query;

import dev.tessera.features.aggregate.Partials;
import java.util.List;

/**
 * The values of some features of one key at one time, with the event time of the newest event
 * behind each value.
 *
 * @param view view the values come from
 * @param key entity key
 * @param asOf lookup time, epoch millis
 * @param found whether the store held any data for the key
 * @param names feature names, in the requested order
 * @param values feature values (declared defaults where there was no data)
 * @param eventTimes newest contributing event time per feature, {@link Partials#NO_EVENT} if none
 */
public record FeatureVector(
    String view,
    String key,
    long asOf,
    boolean found,
    List<String> names,
    double[] values,
    long[] eventTimes) {

  /** Value of the named feature. */
  public double value(String name) {
    int i = names.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException("No feature " + name + " in " + names);
    }
    return values[i];
  }
}
