package dev.tessera.features.aggregate;

import dev.tessera.features.definition.Aggregation;

/**
 * A mergeable numeric partial aggregate kept in a few {@code double} slots of a flat array, so that
 * every feature of a tile lives in one array: adding an event and merging two tiles are loops over
 * it. The newest event time of the partial is kept by {@link PartialLayout} next to these slots.
 */
interface Aggregator {

  /** Slots this aggregate occupies. */
  int slots();

  /** Sets the slots to the empty aggregate. */
  default void clear(double[] p, int offset) {}

  /**
   * Folds one event into the partial at {@code offset}.
   *
   * @param newest the partial's newest event time before this event (−∞ when empty)
   */
  void add(double[] p, int offset, double value, double eventTime, double newest);

  /**
   * Folds the partial {@code from} into {@code into}, both at {@code offset}; both hold events.
   *
   * @param intoNewest newest event time of {@code into}
   * @param fromNewest newest event time of {@code from}
   */
  void merge(double[] into, double[] from, int offset, double intoNewest, double fromNewest);

  /** The feature value of a non-empty partial, or NaN when undefined (e.g. stddev of one event). */
  double result(double[] p, int offset);

  static Aggregator of(Aggregation aggregation) {
    return switch (aggregation) {
      case COUNT -> Aggregators.COUNT;
      case SUM -> Aggregators.SUM;
      case MEAN -> Aggregators.MEAN;
      case MIN -> Aggregators.MIN;
      case MAX -> Aggregators.MAX;
      case STDDEV -> Aggregators.STDDEV;
      case LAST -> Aggregators.LAST;
      case COUNT_DISTINCT ->
          throw new IllegalArgumentException("count_distinct keeps a set, not slots");
    };
  }
}
