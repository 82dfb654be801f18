package dev.tessera.schemas.serde;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/**
 * Writes a record as the plain JSON {@link JsonEventReader} accepts: fields in schema order,
 * optional fields as a value or null (never Avro's {@code {"double": 1.5}} wrapping), timestamps as
 * epoch millis. Not on a hot path: it walks the schema for every record.
 */
final class JsonEventWriter {
  private static final JsonFactory FACTORY = new JsonFactory();

  private JsonEventWriter() {}

  static String write(Schema schema, Object record) {
    StringWriter out = new StringWriter();
    try (JsonGenerator generator = FACTORY.createGenerator(out)) {
      write(generator, schema, record);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return out.toString();
  }

  private static void write(JsonGenerator out, Schema schema, Object value) throws IOException {
    switch (schema.getType()) {
      case RECORD -> {
        IndexedRecord record = (IndexedRecord) value;
        out.writeStartObject();
        for (Schema.Field field : schema.getFields()) {
          out.writeFieldName(field.name());
          write(out, field.schema(), record.get(field.pos()));
        }
        out.writeEndObject();
      }
      case ARRAY -> {
        out.writeStartArray();
        for (Object item : (Iterable<?>) value) {
          write(out, schema.getElementType(), item);
        }
        out.writeEndArray();
      }
      case MAP -> {
        out.writeStartObject();
        for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
          out.writeFieldName(entry.getKey().toString());
          write(out, schema.getValueType(), entry.getValue());
        }
        out.writeEndObject();
      }
      case UNION -> {
        if (value == null) {
          out.writeNull();
        } else {
          // JsonEventReader only accepts unions of null and one other type.
          write(out, nonNullBranch(schema), value);
        }
      }
      case STRING, ENUM -> out.writeString(value.toString());
      case INT -> out.writeNumber(((Number) value).intValue());
      case LONG -> {
        if (value instanceof Instant instant) {
          out.writeNumber(instant.toEpochMilli());
        } else {
          out.writeNumber(((Number) value).longValue());
        }
      }
      // Non-finite values come out as the strings "NaN" or "Infinity", which JSON input rejects.
      case FLOAT -> out.writeNumber(((Number) value).floatValue());
      case DOUBLE -> out.writeNumber(((Number) value).doubleValue());
      case BOOLEAN -> out.writeBoolean((Boolean) value);
      case NULL -> out.writeNull();
      case BYTES, FIXED ->
          throw new IllegalArgumentException("no JSON form for Avro " + schema.getType());
    }
  }

  private static Schema nonNullBranch(Schema union) {
    for (Schema branch : union.getTypes()) {
      if (branch.getType() != Schema.Type.NULL) {
        return branch;
      }
    }
    throw new IllegalArgumentException("union without a non-null type: " + union);
  }
}
