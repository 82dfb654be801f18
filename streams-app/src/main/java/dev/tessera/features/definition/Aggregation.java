package dev.tessera.features.definition;

/** How an aggregate feature folds the events of its window into one number. */
public enum Aggregation {
  /** Number of events. */
  COUNT,
  /** Sum of a numeric field. */
  SUM,
  /** Arithmetic mean of a numeric field. */
  MEAN,
  /** Smallest value of a numeric field. */
  MIN,
  /** Largest value of a numeric field. */
  MAX,
  /** Sample standard deviation (n − 1) of a numeric field; the default below two events. */
  STDDEV,
  /** Value of a numeric field in the event with the newest event time. */
  LAST,
  /**
   * Number of distinct values of a field: exact up to the feature's declared bound, an HLL sketch
   * estimate beyond it.
   */
  COUNT_DISTINCT;

  /** Whether the aggregation reads a field of the event (all but {@link #COUNT}). */
  public boolean needsField() {
    return this != COUNT;
  }

  /** Whether the field must be numeric (all but COUNT and COUNT_DISTINCT). */
  public boolean needsNumericField() {
    return this != COUNT && this != COUNT_DISTINCT;
  }
}
