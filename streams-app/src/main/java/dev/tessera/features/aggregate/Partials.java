package dev.tessera.features.aggregate;

/**
 * The partial aggregates of every feature of a group for one key and one tile (or the key's whole
 * history), laid out by a {@link PartialLayout}. Mutable: adding and merging update it in place.
 */
public final class Partials {
  /** Newest event time of a partial that holds no event. */
  public static final long NO_EVENT = Long.MIN_VALUE;

  final double[] slots;
  final DistinctValues[] sets;

  Partials(double[] slots, DistinctValues[] sets) {
    this.slots = slots;
    this.sets = sets;
  }
}
