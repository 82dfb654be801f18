package dev.tessera.schemas.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The serde of one Tessera event type.
 *
 * <ul>
 *   <li>Writes Avro single-object encoding: {@code C3 01}, the 8-byte little-endian CRC-64-AVRO
 *       fingerprint of the schema's parsing canonical form, then the Avro binary record. Any Avro
 *       library decodes it with the {@code .avsc} file.
 *   <li>Reads that encoding, Confluent's wire format (byte 0, a 4-byte schema id of a schema
 *       registry, Avro binary), or one UTF-8 JSON object validated against the same schema (see
 *       {@link JsonEventReader}), so that {@code kcat} or a script can produce. Avro written with
 *       another schema (an older or newer version in a schema directory, or a registry's) is
 *       resolved to this one (see {@link WriterSchemas}).
 *   <li>A null value stays null both ways (a tombstone on a compacted topic); anything else that is
 *       not a valid record throws {@link InvalidEventException} with a one-line reason.
 * </ul>
 *
 * <pre>{@code
 * EventSerde<Order> orders = EventSerde.of(Order.class); // or EventSerdes.orders()
 * KStream<String, Order> stream =
 *     builder.stream("orders", Consumed.with(Serdes.String(), orders));
 * }</pre>
 *
 * <p>Thread-safe: Kafka Streams shares one instance across its stream threads.
 */
public final class EventSerde<T extends SpecificRecord> implements Serde<T> {
  private static final int PREVIEW_BYTES = 8;

  private final Class<T> type;
  private final Schema schema;
  private final BinaryMessageEncoder<T> encoder;
  private final AvroSingleObjectReader<T> avroReader;
  private final JsonEventReader<T> jsonReader;
  private final Serializer<T> serializer = this::serialize;
  private final Deserializer<T> deserializer = this::deserialize;

  private EventSerde(Class<T> type, WriterSchemas writers) {
    // The class's own data model carries its logical-type conversions (Instant for
    // timestamp-millis); schema and model are looked up once here, never per record.
    SpecificData model = SpecificData.getForClass(type);
    this.type = type;
    this.schema = model.getSchema(type);
    if (schema.getType() != Schema.Type.RECORD) {
      throw new IllegalArgumentException(type.getName() + " is not an Avro record class");
    }
    this.encoder = new BinaryMessageEncoder<>(model, schema);
    this.avroReader = new AvroSingleObjectReader<>(model, schema, writers);
    this.jsonReader = JsonEventReader.of(type, model, schema);
  }

  /**
   * @param type a class generated from an {@code .avsc} record schema, e.g. {@code Order.class}
   * @throws IllegalArgumentException if its schema has something without a JSON form here
   */
  public static <T extends SpecificRecord> EventSerde<T> of(Class<T> type) {
    return new EventSerde<>(type, WriterSchemas.none());
  }

  /**
   * As {@link #of(Class)}, reading also records written with the other schemas of {@code writers}
   * (by single-object fingerprint or Confluent schema id), resolved to {@code type}'s schema.
   */
  public static <T extends SpecificRecord> EventSerde<T> of(Class<T> type, WriterSchemas writers) {
    return new EventSerde<>(type, writers);
  }

  public Class<T> type() {
    return type;
  }

  public Schema schema() {
    return schema;
  }

  @Override
  public Serializer<T> serializer() {
    return serializer;
  }

  @Override
  public Deserializer<T> deserializer() {
    return deserializer;
  }

  /**
   * The record as one line of the plain JSON the deserializer accepts (timestamps as epoch millis,
   * optional fields as null), for command-line output and examples.
   */
  public String toJson(T record) {
    return JsonEventWriter.write(schema, record);
  }

  private byte[] serialize(String topic, T record) {
    if (record == null) {
      return null;
    }
    try {
      ByteBuffer buffer = encoder.encode(record);
      // encode(...) copies into a fresh array of the exact size; use it when that holds.
      if (buffer.hasArray()
          && buffer.arrayOffset() == 0
          && buffer.position() == 0
          && buffer.remaining() == buffer.array().length) {
        return buffer.array();
      }
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "Cannot serialize " + schema.getName() + " for topic " + topic + ": " + e.getMessage(),
          e);
    }
  }

  private T deserialize(String topic, byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    if (bytes.length == 0) {
      throw new InvalidEventException("empty value");
    }
    if (AvroSingleObjectReader.hasHeader(bytes)) {
      return avroReader.read(bytes);
    }
    if (bytes[0] == 0) {
      return avroReader.readConfluent(bytes);
    }
    if (looksLikeJson(bytes)) {
      return jsonReader.read(bytes);
    }
    throw new InvalidEventException(
        "not "
            + article(schema.getName())
            + ": expected Avro single-object encoding (C3 01 header), Confluent's wire format (00 and a"
            + " schema id) or a JSON object, got "
            + preview(bytes));
  }

  /**
   * True when the first byte after an optional UTF-8 byte order mark and JSON whitespace opens an
   * object, or an array or string; the last two go to the JSON reader so that the reason says "got
   * an array" (several records in one message) or shows the string (JSON encoded twice).
   */
  private static boolean looksLikeJson(byte[] bytes) {
    int i = 0;
    if (bytes.length >= 3
        && bytes[0] == (byte) 0xEF
        && bytes[1] == (byte) 0xBB
        && bytes[2] == (byte) 0xBF) {
      i = 3;
    }
    while (i < bytes.length
        && (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\n' || bytes[i] == '\r')) {
      i++;
    }
    return i < bytes.length && (bytes[i] == '{' || bytes[i] == '[' || bytes[i] == '"');
  }

  private static String preview(byte[] bytes) {
    StringBuilder text = new StringBuilder();
    text.append(bytes.length).append(bytes.length == 1 ? " byte" : " bytes").append(" starting");
    for (int i = 0; i < Math.min(bytes.length, PREVIEW_BYTES); i++) {
      text.append(String.format(" 0x%02X", bytes[i]));
    }
    if (bytes.length > PREVIEW_BYTES) {
      text.append(" ...");
    }
    return text.toString();
  }

  private static String article(String name) {
    return ("AEIOU".indexOf(name.charAt(0)) >= 0 ? "an " : "a ") + name;
  }

  @Override
  public String toString() {
    return "EventSerde[" + schema.getFullName() + "]";
  }
}
