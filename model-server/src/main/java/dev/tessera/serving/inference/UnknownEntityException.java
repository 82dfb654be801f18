package dev.tessera.serving.inference;

/** A pinned invocation named a served entity its endpoint does not have. */
public class UnknownEntityException extends UnknownEndpointException {
  private static final long serialVersionUID = 1L;

  public UnknownEntityException(String message) {
    super(message);
  }
}
