package dev.tessera.features.topology;

import java.time.Instant;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/**
 * The time of an event or a table row: for a row whose schema has {@value #VERSION_FIELD} set, that
 * field (when this version of the row took effect), else the declared time field. The pipeline
 * takes it as the record's timestamp and the offline engine replays by it, so a training row reads
 * the version of a profile that was in effect at its time, not the latest one.
 *
 * <pre>{@code
 * RowTime time = RowTime.of(Customer.getClassSchema(), "signup_ts");
 * Instant t = time.of(customer); // updated_ts if set, else signup_ts
 * }</pre>
 */
public final class RowTime {
  /** The field of a table row that says when its version took effect. */
  public static final String VERSION_FIELD = "updated_ts";

  private final int timePosition;
  private final int versionPosition;

  private RowTime(int timePosition, int versionPosition) {
    this.timePosition = timePosition;
    this.versionPosition = versionPosition;
  }

  /**
   * @throws IllegalArgumentException if {@code schema} has no field {@code timeField}
   */
  public static RowTime of(Schema schema, String timeField) {
    Schema.Field time = schema.getField(timeField);
    if (time == null) {
      throw new IllegalArgumentException(schema.getName() + " has no field " + timeField);
    }
    Schema.Field version = schema.getField(VERSION_FIELD);
    return new RowTime(time.pos(), version == null ? -1 : version.pos());
  }

  /** The event's own time field only: a declared source's row, whatever its fields are named. */
  public static RowTime eventTime(Schema schema, String timeField) {
    Schema.Field time = schema.getField(timeField);
    if (time == null) {
      throw new IllegalArgumentException(schema.getName() + " has no field " + timeField);
    }
    return new RowTime(time.pos(), -1);
  }

  /** The time of {@code event}, or null when it has none. */
  public Instant of(IndexedRecord event) {
    if (versionPosition >= 0 && event.get(versionPosition) instanceof Instant version) {
      return version;
    }
    return event.get(timePosition) instanceof Instant time ? time : null;
  }
}
