package dev.tessera.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/** TEMPORARY stub, replaced by the serde branch. */
public class InvalidEventException extends SerializationException {
  private static final long serialVersionUID = 1L;

  public InvalidEventException(String reason) {
    super(reason);
  }

  public String reason() {
    return getMessage();
  }
}
