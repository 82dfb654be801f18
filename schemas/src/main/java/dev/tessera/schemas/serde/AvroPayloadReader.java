package dev.tessera.schemas.serde;

import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificData;

/**
 * Reads the Avro values of a topic whose schema is not one of Tessera's classes (a source declared
 * with its own {@code .avsc}) into generic records of that schema: single-object encoding ({@code
 * C3 01}, fingerprint) or Confluent's wire format (byte 0, schema id), each resolved from its
 * writer's schema as {@link EventSerde} does. Timestamps decode as {@link java.time.Instant}.
 *
 * <pre>{@code
 * AvroPayloadReader reader = AvroPayloadReader.of(schema, WriterSchemas.none());
 * GenericRecord r = reader.read(bytes); // or InvalidEventException with a one-line reason
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class AvroPayloadReader {
  private final AvroSingleObjectReader<GenericRecord> reader;

  private AvroPayloadReader(Schema schema, WriterSchemas writers) {
    // A model without generated classes gives GenericData.Record for every record schema.
    var model = new SpecificData();
    model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
    this.reader = new AvroSingleObjectReader<>(model, schema, writers);
  }

  /**
   * @param schema the reader schema, a record
   * @param writers the other schemas values may have been written with
   */
  public static AvroPayloadReader of(Schema schema, WriterSchemas writers) {
    if (schema.getType() != Schema.Type.RECORD) {
      throw new IllegalArgumentException("An Avro source's schema must be a record: " + schema);
    }
    return new AvroPayloadReader(schema, writers);
  }

  /** Whether {@code bytes} start like Avro in either encoding this reads. */
  public static boolean looksLikeAvro(byte[] bytes) {
    return AvroSingleObjectReader.hasHeader(bytes) || (bytes.length > 0 && bytes[0] == 0);
  }

  /**
   * @throws InvalidEventException if the bytes are neither encoding, or do not decode
   */
  public GenericRecord read(byte[] bytes) {
    if (AvroSingleObjectReader.hasHeader(bytes)) {
      return reader.read(bytes);
    }
    if (bytes.length > 0 && bytes[0] == 0) {
      return reader.readConfluent(bytes);
    }
    throw new InvalidEventException(
        "avro: expected Avro single-object encoding (C3 01 header) or Confluent's wire format (00"
            + " and a schema id), got "
            + bytes.length
            + " bytes"
            + (bytes.length > 0 ? String.format(" starting 0x%02X", bytes[0]) : ""));
  }
}
