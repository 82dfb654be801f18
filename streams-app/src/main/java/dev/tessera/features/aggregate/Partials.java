package dev.tessera.features.aggregate;

/**
 * The partial aggregates of every feature of a group for one key and one tile (or the key's whole
 * history), plus the event time of the newest event folded in.
 *
 * @param newestEventTime epoch millis of the newest contributing event, {@link #NO_EVENT} if none
 * @param slots the features' partials, laid out by a {@link PartialLayout}
 */
public record Partials(long newestEventTime, double[] slots) {
  /** {@link #newestEventTime()} of a partial that holds no event. */
  public static final long NO_EVENT = Long.MIN_VALUE;

  public boolean isEmpty() {
    return newestEventTime == NO_EVENT;
  }
}
