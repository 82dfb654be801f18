package dev.tessera.serving.registry;

/**
 * A registry operation was refused; {@link #reason()} says how the caller should read it (the HTTP
 * API maps it to MLflow's error codes).
 */
public final class RegistryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why an operation was refused. */
  public enum Reason {
    /** The named model, version or alias does not exist. */
    NOT_FOUND,
    /** A model or version of that name or number exists already; versions are immutable. */
    ALREADY_EXISTS,
    /** A value is wrong: a bad name, an artifact that is not a servable model, a width mismatch. */
    INVALID,
    /** Another writer ran at the same time; nothing was written, the call may be retried. */
    CONFLICT,
    /** Kafka could not be read or written in time; nothing was written, retry later. */
    UNAVAILABLE
  }

  private final Reason reason;

  public RegistryException(Reason reason, String message) {
    this(reason, message, null);
  }

  public RegistryException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  static RegistryException notFound(String message) {
    return new RegistryException(Reason.NOT_FOUND, message);
  }

  static RegistryException invalid(String message) {
    return new RegistryException(Reason.INVALID, message);
  }
}
