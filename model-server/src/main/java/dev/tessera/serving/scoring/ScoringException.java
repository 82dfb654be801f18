package dev.tessera.serving.scoring;

/** A model failed to run; the message names the model and the batch size. */
public final class ScoringException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with its context message and the runtime's own failure. */
  public ScoringException(String message, Throwable cause) {
    super(message, cause);
  }
}
