package dev.tessera.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record value that is neither a valid Avro single-object payload nor a valid JSON object for the
 * expected event type.
 *
 * <p>{@link #reason()} is one short line (at most {@value #MAX_REASON_LENGTH} characters) meant for
 * a dead-letter header and for the person who produced the record, for example:
 *
 * <pre>{@code
 * json: Order.order_total: expected a number, got string "abc"
 * avro: Order: unknown schema fingerprint 0x1b2c3d4e5f607182: not Order's schema (0x...), and no ...
 * }</pre>
 */
public class InvalidEventException extends SerializationException {
  private static final long serialVersionUID = 1L;

  /** Longest reason kept; longer ones are cut so that a dead-letter header stays small. */
  public static final int MAX_REASON_LENGTH = 300;

  private final String reason;

  public InvalidEventException(String reason) {
    this(reason, null);
  }

  public InvalidEventException(String reason, Throwable cause) {
    super(oneLine(reason), cause);
    this.reason = getMessage();
  }

  /** Why the value was rejected: one line, no stack trace, safe to put in a record header. */
  public String reason() {
    return reason;
  }

  private static String oneLine(String reason) {
    String line = reason.replaceAll("[\\r\\n\\t]+", " ");
    return line.length() <= MAX_REASON_LENGTH
        ? line
        : line.substring(0, MAX_REASON_LENGTH - 3) + "...";
  }
}
