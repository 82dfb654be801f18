package dev.tessera.features.query;

/**
 * The store that holds a key cannot be read right now (the node is starting, rebalancing or
 * restoring); retrying shortly will succeed.
 */
public class FeaturesUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public FeaturesUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
