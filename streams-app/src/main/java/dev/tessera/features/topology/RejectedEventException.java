package dev.tessera.features.topology;

/**
 * Thrown by a processor for an event that parses but cannot be applied (no key, key that does not
 * match the entity field, too late). The processing handler sends it to the dead-letter topic.
 */
public class RejectedEventException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A short, stable reason code such as {@code late} or {@code key}. */
  private final String code;

  public RejectedEventException(String code, String reason) {
    super(reason);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
