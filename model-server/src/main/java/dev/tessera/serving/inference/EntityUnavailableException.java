package dev.tessera.serving.inference;

/** A request was routed to a served entity whose model this node could not load; retryable. */
public class EntityUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EntityUnavailableException(String message) {
    super(message);
  }
}
