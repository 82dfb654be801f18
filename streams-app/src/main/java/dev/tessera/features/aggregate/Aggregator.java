package dev.tessera.features.aggregate;

import dev.tessera.features.definition.Aggregation;

/**
 * A mergeable partial aggregate kept in a few {@code double} slots, so that every feature of a tile
 * lives in one flat array: adding an event and merging two tiles are loops over that array.
 */
public interface Aggregator {

  /** Slots this aggregate occupies. */
  int slots();

  /** Folds one event's value into the partial at {@code offset}. */
  void add(double[] partial, int offset, double value);

  /** Folds the partial {@code from} into {@code into}, both at {@code offset}. */
  void merge(double[] into, double[] from, int offset);

  /** The feature value of a partial, or {@code defaultValue} when it holds no event. */
  double result(double[] partial, int offset, double defaultValue);

  /** The aggregator implementing an aggregation. */
  static Aggregator of(Aggregation aggregation) {
    return switch (aggregation) {
      case COUNT -> Count.INSTANCE;
    };
  }
}
