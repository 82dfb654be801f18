package dev.tessera.serving.inference;

import java.util.Collection;
import java.util.TreeSet;

/** An invocation named an endpoint that does not exist. */
public class UnknownEndpointException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnknownEndpointException(String name, Collection<String> known) {
    super("Endpoint '" + name + "' does not exist; endpoints: " + new TreeSet<>(known));
  }

  protected UnknownEndpointException(String message) {
    super(message);
  }
}
