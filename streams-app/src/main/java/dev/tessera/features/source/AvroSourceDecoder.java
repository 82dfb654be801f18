package dev.tessera.features.source;

import dev.tessera.features.definition.AvroPaths;
import dev.tessera.features.definition.SourceDeclaration;
import dev.tessera.features.definition.SourceDeclaration.FieldType;
import dev.tessera.features.definition.SourceDeclaration.SourceField;
import dev.tessera.schemas.serde.AvroPayloadReader;
import dev.tessera.schemas.serde.WriterSchemas;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;

/**
 * Decodes an Avro value (single-object or Confluent's wire format, resolved to the declared schema)
 * and copies the declared paths into the row. Each path is compiled into field positions once; a
 * record's values are reached by position.
 */
final class AvroSourceDecoder implements SourceDecoder {
  /** One declared value: the positions leading to it, and how to convert what is there. */
  private record Access(String path, int[] positions, FieldType type) {}

  private final SourceRows rows;
  private final AvroPayloadReader reader;
  private final Access[] fields;
  private final Access time;

  AvroSourceDecoder(SourceDeclaration source, WriterSchemas writers) {
    this.rows = new SourceRows(source);
    Schema schema = source.avroSchema();
    this.reader = AvroPayloadReader.of(schema, writers);
    List<SourceField> declared = source.fields();
    this.fields = new Access[declared.size()];
    for (int i = 0; i < fields.length; i++) {
      SourceField f = declared.get(i);
      fields[i] = compile(schema, f.path(), f.dotted(), f.type());
    }
    this.time = compile(schema, source.time().path(), source.time().dotted(), null);
  }

  private static Access compile(Schema schema, List<String> path, String dotted, FieldType type) {
    return new Access(dotted, AvroPaths.resolve(schema, path, type).positions(), type);
  }

  @Override
  public GenericData.Record decode(byte[] bytes) {
    GenericRecord record;
    try {
      record = reader.read(bytes);
    } catch (dev.tessera.schemas.serde.InvalidEventException e) {
      throw rows.invalid("value", e.reason());
    }
    GenericData.Record row = rows.newRow();
    for (int i = 0; i < fields.length; i++) {
      Object v = at(record, fields[i]);
      if (v != null) {
        row.put(i, convert(fields[i], v));
      }
    }
    Object t = at(record, time);
    if (t instanceof Instant instant) {
      if (instant.toEpochMilli() < 0) {
        throw rows.invalid(time.path(), "time " + instant + " is before 1970");
      }
      row.put(rows.timeSlot(), instant);
    } else if (t instanceof Number n) {
      row.put(rows.timeSlot(), rows.timeOfNumber(n.doubleValue(), n.toString()));
    } else if (t != null) {
      row.put(rows.timeSlot(), rows.timeOfText(t.toString()));
    }
    return rows.complete(row);
  }

  private static Object at(IndexedRecord record, Access access) {
    Object v = record;
    for (int p : access.positions()) {
      if (!(v instanceof IndexedRecord r)) {
        return null;
      }
      v = r.get(p);
    }
    return v;
  }

  private Object convert(Access a, Object v) {
    return switch (a.type()) {
      case STRING -> v.toString();
      case LONG -> ((Number) v).longValue();
      case DOUBLE -> rows.finite(a.path(), ((Number) v).doubleValue());
      case BOOLEAN -> v;
    };
  }
}
