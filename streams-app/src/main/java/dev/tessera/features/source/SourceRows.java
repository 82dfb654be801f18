package dev.tessera.features.source;

import dev.tessera.features.definition.SourceDeclaration;
import dev.tessera.features.definition.SourceDeclaration.FieldType;
import dev.tessera.features.definition.SourceDeclaration.TimeUnit;
import dev.tessera.schemas.serde.InvalidEventException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/**
 * The row a declared source's record decodes to, and the checks every decoder applies to the values
 * it puts there, so that JSON and Avro sources refuse the same things with the same words.
 */
final class SourceRows {
  private static final int MAX_ECHO = 40;

  private final SourceDeclaration source;
  private final Schema schema;
  private final int timeSlot;

  SourceRows(SourceDeclaration source) {
    this.source = source;
    this.schema = source.rowSchema();
    this.timeSlot = source.fields().size();
  }

  SourceDeclaration source() {
    return source;
  }

  Schema schema() {
    return schema;
  }

  int timeSlot() {
    return timeSlot;
  }

  GenericData.Record newRow() {
    return new GenericData.Record(schema);
  }

  /** Checks the finished row: its time is there. */
  GenericData.Record complete(GenericData.Record row) {
    if (row.get(timeSlot) == null) {
      throw invalid(source.time().dotted(), "missing event time (" + unit() + ")");
    }
    return row;
  }

  String unit() {
    return source.time().unit().label();
  }

  /** A double that views can sum: finite. */
  double finite(String path, double value) {
    if (!Double.isFinite(value)) {
      throw invalid(path, "not a finite number: " + value);
    }
    return value;
  }

  /** The instant of a number in the time's unit. */
  Instant timeOfNumber(double value, String text) {
    TimeUnit unit = source.time().unit();
    if (unit == TimeUnit.ISO8601) {
      throw invalid(source.time().dotted(), "expected an ISO-8601 string, got number " + text);
    }
    double millis = unit == TimeUnit.EPOCH_S ? value * 1000.0 : value;
    if (!Double.isFinite(millis) || millis < 0 || millis > Long.MAX_VALUE / 2.0) {
      throw invalid(source.time().dotted(), "time " + text + " (" + unit() + ") is before 1970");
    }
    return Instant.ofEpochMilli(Math.round(millis));
  }

  /** The instant of a string: ISO-8601 for that unit, else refused. */
  Instant timeOfText(String text) {
    if (source.time().unit() != TimeUnit.ISO8601) {
      throw invalid(
          source.time().dotted(), "expected a number (" + unit() + "), got string " + quote(text));
    }
    Instant t;
    try {
      t = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw invalid(
          source.time().dotted(),
          "cannot read "
              + quote(text)
              + " as an ISO-8601 time with a zone, e.g. 2026-03-01T12:00:00Z");
    }
    if (t.toEpochMilli() < 0) {
      throw invalid(source.time().dotted(), "time " + quote(text) + " is before 1970");
    }
    return t;
  }

  InvalidEventException invalid(String path, String problem) {
    return new InvalidEventException(source.name() + ": " + path + ": " + problem);
  }

  InvalidEventException mismatch(String path, FieldType expected, String got) {
    return invalid(path, "expected " + article(expected) + ", got " + got);
  }

  static String article(FieldType type) {
    return switch (type) {
      case STRING -> "a string";
      case LONG -> "a whole number";
      case DOUBLE -> "a number";
      case BOOLEAN -> "true or false";
    };
  }

  static String quote(String text) {
    String clipped = text.length() > MAX_ECHO ? text.substring(0, MAX_ECHO) + "..." : text;
    return "\"" + clipped + "\"";
  }
}
