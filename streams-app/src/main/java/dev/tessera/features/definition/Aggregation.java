package dev.tessera.features.definition;

/** How a feature folds the events of its window into one number. */
public enum Aggregation {
  /** Number of events. */
  COUNT
}
