package dev.tessera.features.definition;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;

/**
 * A topic of the user's, declared in the definition file: how its values are encoded, which fields
 * the views read and where they sit in the value (nested paths allowed), the event time and its
 * unit, filters, and where the entity key comes from. The pipeline decodes each record once into a
 * flat row of the declared fields ({@link #rowSchema()}), so views, filters and validation address
 * fields by position, never by name or path per record.
 *
 * <pre>{@code
 * sources:
 *   - name: transactions
 *     format: json
 *     fields:
 *       - {name: user_id, path: user.id, type: string}
 *       - {name: amount, type: double}
 *     time: {path: ts, unit: epoch_s}
 * }</pre>
 *
 * @param name the source's name: what views and features refer to, and the prefix of its processors
 *     and internal topics
 * @param topic the Kafka topic
 * @param format how values are encoded
 * @param avroSchema the reader schema of an Avro source (paths resolve in it); null for JSON
 * @param unknownFields what a JSON value's fields that are not declared do
 * @param keyFrom where views find the entity key of a record
 * @param fields the fields views read, in row order
 * @param time the event-time field (row position {@code fields.size()}) and its unit
 * @param filters records that some filter refuses are skipped, not dead-lettered
 */
public record SourceDeclaration(
    String name,
    String topic,
    Format format,
    Schema avroSchema,
    UnknownFields unknownFields,
    KeyFrom keyFrom,
    List<SourceField> fields,
    SourceTime time,
    List<EventFilter> filters) {

  /** The encoding of a source's values. */
  public enum Format {
    /** One UTF-8 JSON object per record. */
    JSON,
    /**
     * Avro: single-object encoding (writer schema by fingerprint) or Confluent's wire format
     * (writer schema by id from the schema registry), resolved to the declared schema.
     */
    AVRO;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** What a JSON source does with a field of the value it does not declare. */
  public enum UnknownFields {
    IGNORE,
    REJECT
  }

  /** Where the entity key of a record comes from. */
  public enum KeyFrom {
    /**
     * From the declared key fields of the value; records whose Kafka key is anything else are
     * re-keyed through the repartition topic {@code <source>-<entity>-by-key}.
     */
    VALUE,
    /** The Kafka record key is the entity key (an entity with one key field), trusted as it is. */
    RECORD
  }

  /** The type a declared field has in the row. */
  public enum FieldType {
    STRING(Schema.Type.STRING),
    LONG(Schema.Type.LONG),
    DOUBLE(Schema.Type.DOUBLE),
    BOOLEAN(Schema.Type.BOOLEAN);

    private final Schema.Type avro;

    FieldType(Schema.Type avro) {
      this.avro = avro;
    }

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** How an event time is written. */
  public enum TimeUnit {
    /** Milliseconds since 1970 (a number, or Avro's timestamp-millis). */
    EPOCH_MS,
    /** Seconds since 1970, a whole or fractional number. */
    EPOCH_S,
    /** An ISO-8601 instant such as {@code 2026-03-01T12:00:00Z} or with an offset. */
    ISO8601;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * A field a view reads.
   *
   * @param name the name views use
   * @param path where it is in the value, one name per level ({@code user.id} is {@code [user,
   *     id]})
   * @param type its type in the row
   */
  public record SourceField(String name, List<String> path, FieldType type) {
    public SourceField {
      Names.requireValid(name, "field");
      path = List.copyOf(path);
      if (path.isEmpty()) {
        throw new IllegalArgumentException("Field " + name + " has an empty path");
      }
      Objects.requireNonNull(type, "type of " + name);
    }

    /** The path as written in the file: {@code user.id}. */
    public String dotted() {
      return String.join(".", path);
    }
  }

  /**
   * The event time of a source.
   *
   * @param name the name views use ({@code time} unless declared)
   * @param path where it is in the value
   * @param unit how it is written
   */
  public record SourceTime(String name, List<String> path, TimeUnit unit) {
    public SourceTime {
      Names.requireValid(name, "time field");
      path = List.copyOf(path);
      Objects.requireNonNull(unit, "unit");
    }

    public String dotted() {
      return String.join(".", path);
    }
  }

  public SourceDeclaration {
    Names.requireValid(name, "source");
    Objects.requireNonNull(topic, "topic of " + name);
    Objects.requireNonNull(format, "format of " + name);
    Objects.requireNonNull(unknownFields, "unknown_fields of " + name);
    Objects.requireNonNull(keyFrom, "key of " + name);
    Objects.requireNonNull(time, "time of " + name);
    if (format == Format.AVRO && avroSchema == null) {
      throw new IllegalArgumentException("Avro source " + name + " needs its schema");
    }
    fields = List.copyOf(fields);
    filters = List.copyOf(filters);
    var names = new HashSet<String>();
    for (SourceField f : fields) {
      if (!names.add(f.name())) {
        throw new IllegalArgumentException("Source " + name + " declares " + f.name() + " twice");
      }
    }
    if (!names.add(time.name())) {
      throw new IllegalArgumentException(
          "Source " + name + " names its time " + time.name() + ", as one of its fields");
    }
    var paths = new ArrayList<String>();
    fields.forEach(f -> paths.add(f.dotted()));
    paths.add(time.dotted());
    for (String a : paths) {
      for (String b : paths) {
        if (a != b && (a.equals(b) || b.startsWith(a + "."))) {
          throw new IllegalArgumentException(
              "Source " + name + " reads " + a + (a.equals(b) ? " twice" : " and also " + b));
        }
      }
    }
    if (avroSchema != null) {
      for (SourceField f : fields) {
        AvroPaths.resolve(avroSchema, f.path(), f.type());
      }
      AvroPaths.resolve(avroSchema, time.path(), null);
    }
  }

  /** The declared field called {@code name}. */
  public Optional<SourceField> field(String fieldName) {
    return fields.stream().filter(f -> f.name().equals(fieldName)).findFirst();
  }

  /** The position of a field (or of the time) in the row, or -1. */
  public int position(String fieldName) {
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).name().equals(fieldName)) {
        return i;
      }
    }
    return time.name().equals(fieldName) ? fields.size() : -1;
  }

  /**
   * The row every record is decoded to: the declared fields in order, each nullable (a record
   * without it), then the time as a timestamp-millis long. Views and their checks address fields in
   * this schema; the internal repartition topics carry it as Avro binary.
   */
  public Schema rowSchema() {
    var assembler = SchemaBuilder.record(name).namespace("dev.tessera.sources").fields();
    for (SourceField f : fields) {
      Schema type = Schema.create(f.type().avro);
      if (f.type() == FieldType.STRING) {
        // Rows read back from a store or an internal topic hold String, as decoded ones do.
        GenericData.setStringType(type, GenericData.StringType.String);
      }
      assembler =
          assembler
              .name(f.name())
              .type(Schema.createUnion(List.of(Schema.create(Schema.Type.NULL), type)))
              .withDefault(null);
    }
    Schema millis = LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
    return assembler.name(time.name()).type(millis).noDefault().endRecord();
  }

  /** Every path this source reads, for messages: {@code user_id <- user.id, ...}. */
  public List<String> describeFields() {
    var out = new ArrayList<String>();
    for (SourceField f : fields) {
      out.add(f.name() + " <- " + f.dotted() + " (" + f.type().label() + ")");
    }
    out.add(time.name() + " <- " + time.dotted() + " (" + time.unit().label() + ")");
    return out;
  }
}
