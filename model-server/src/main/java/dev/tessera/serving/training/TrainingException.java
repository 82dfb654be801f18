package dev.tessera.serving.training;

/** XGBoost failed to train or to hand back its model; the message names the data and params. */
public final class TrainingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with its context message and XGBoost's own failure. */
  public TrainingException(String message, Throwable cause) {
    super(message, cause);
  }
}
