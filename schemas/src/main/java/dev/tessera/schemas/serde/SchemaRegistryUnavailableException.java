package dev.tessera.schemas.serde;

/**
 * The schema registry could not be asked for a writer schema (unreachable, timed out, or answering
 * with a server error). Not the record's fault: it must not be dead-lettered, but read again once
 * the registry answers.
 */
public final class SchemaRegistryUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  SchemaRegistryUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
