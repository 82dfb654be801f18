package dev.tessera.serving.inference;

/** An invocation row the served model cannot take, e.g. a feature vector of the wrong width. */
public class InvalidInvocationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidInvocationException(String message) {
    super(message);
  }
}
