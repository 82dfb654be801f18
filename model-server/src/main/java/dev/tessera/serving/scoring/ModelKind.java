package dev.tessera.serving.scoring;

/** What a {@link Scorer}'s scores mean. */
public enum ModelKind {
  /** A binary classifier: each score is the probability of the positive class, in [0, 1]. */
  CLASSIFIER,
  /** A regressor: each score is the predicted value. */
  REGRESSOR
}
