package dev.tessera.serving.scoring;

/**
 * Scores feature vectors with one loaded model: the math of serving, free of Kafka and HTTP.
 *
 * <p>Rows are laid out row-major in one {@code float[]}, each row holding {@link #featureCount()}
 * values in the order of the model's feature service. Implementations are thread-safe; {@link
 * #close()} releases the model's native resources, after which {@link #score} throws {@link
 * IllegalStateException}.
 *
 * <pre>{@code
 * try (Scorer scorer = OnnxScorer.load(OrtEnvironment.getEnvironment(), modelBytes)) {
 *   float[] rows = {0.5f, 12f, 3f, 0.1f, 40f, 1f}; // two rows of three features
 *   double[] scores = scorer.score(rows, 2);       // one score per row
 * }
 * }</pre>
 */
public interface Scorer extends AutoCloseable {

  /** Number of input features a row must have, in feature-service order. */
  int featureCount();

  /**
   * Scores {@code rows} rows laid out row-major in {@code features} (length {@code >= rows *
   * featureCount()}); returns one score per row: the probability of the positive class for a binary
   * classifier, the predicted value for a regressor.
   *
   * @throws IllegalArgumentException if {@code rows} is negative or {@code features} is too short
   * @throws IllegalStateException if this scorer is closed
   * @throws ScoringException if the model fails to run
   */
  double[] score(float[] features, int rows);

  /** Whether scores are positive-class probabilities or predicted values. */
  ModelKind kind();

  /** Releases the model; idempotent. */
  @Override
  void close();
}
