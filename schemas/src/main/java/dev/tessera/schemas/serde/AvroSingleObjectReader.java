package dev.tessera.schemas.serde;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * Decodes Avro single-object encoding ({@code C3 01}, 8-byte little-endian CRC-64-AVRO fingerprint,
 * Avro binary) and Confluent's wire format (byte 0, 4-byte schema id, Avro binary) into one record
 * type, turning every failure into an {@link InvalidEventException}. A record written with another
 * schema ({@link WriterSchemas}) is resolved to the type's schema; whether a writer schema can be
 * read at all is checked once per schema, and every record written with one that cannot is refused
 * with the fields at fault.
 *
 * <p>Before decoding, the payload is walked once without building anything. Avro's reader allocates
 * a string or array as large as the length prefix claims before it notices the data is shorter, so
 * one corrupt length (say 1.5 GB) would end the JVM with an OutOfMemoryError, and the restarted
 * application would read the same record again. The walk bounds every length by the payload size,
 * and it also notices bytes left over after the record. Measured on the 2-core reference machine:
 * an Order decodes in about 0.43 µs with the walk against 0.40 µs without, a Prediction with 15
 * features in about 4.5 µs against 4.0 µs.
 */
final class AvroSingleObjectReader<T extends IndexedRecord> {
  static final int HEADER_LENGTH = 10;

  static final int CONFLUENT_HEADER_LENGTH = 5;

  private final String typeName;
  private final SpecificData model;
  private final Schema schema;
  private final long fingerprint;
  private final BinaryMessageDecoder<T> decoder;
  private final UnaryOperator<Object> arrayCopier; // null when the type has no arrays
  private final WriterSchemas writers;
  private final Map<Long, Writer<T>> byFingerprint = new ConcurrentHashMap<>();
  private final Map<Integer, Writer<T>> byId = new ConcurrentHashMap<>();

  /**
   * Another schema a record was written with, and how it reads as this type: a resolving reader, or
   * why it cannot be read.
   */
  private record Writer<T>(Schema schema, SpecificDatumReader<T> reader, String problem) {}

  AvroSingleObjectReader(SpecificData model, Schema schema, WriterSchemas writers) {
    this.typeName = schema.getName();
    this.model = model;
    this.schema = schema;
    this.fingerprint = SchemaNormalization.parsingFingerprint64(schema);
    this.decoder = new BinaryMessageDecoder<>(model, schema);
    this.arrayCopier = DecodedArrays.copier(schema);
    this.writers = writers;
  }

  static boolean hasHeader(byte[] bytes) {
    return bytes.length >= 2 && bytes[0] == (byte) 0xC3 && bytes[1] == (byte) 0x01;
  }

  /** Decodes bytes that start with {@code C3 01}. */
  T read(byte[] bytes) {
    if (bytes.length < HEADER_LENGTH) {
      throw invalid("truncated header (" + bytes.length + " of " + HEADER_LENGTH + " bytes)", null);
    }
    long writerFingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (writerFingerprint != fingerprint) {
      Writer<T> writer = byFingerprint.get(writerFingerprint);
      if (writer == null) {
        Schema found =
            writers
                .byFingerprint(writerFingerprint)
                .orElseThrow(
                    () ->
                        invalid(
                            String.format(
                                "unknown schema fingerprint 0x%016x: not %s's schema (0x%016x)%s",
                                writerFingerprint,
                                typeName,
                                fingerprint,
                                writers.describeDirectory()),
                            null));
        writer = resolve(found);
        byFingerprint.put(writerFingerprint, writer);
      }
      return readWith(writer, bytes, HEADER_LENGTH);
    }
    checkBounds(bytes, HEADER_LENGTH, schema);
    T record;
    try {
      record = decoder.decode(bytes);
    } catch (IOException | RuntimeException e) {
      throw invalid("corrupt record: " + rootMessage(e), e);
    }
    return copied(record);
  }

  /**
   * Decodes Confluent's wire format: byte 0, a 4-byte big-endian schema id, Avro binary written
   * with that schema of the registry.
   */
  T readConfluent(byte[] bytes) {
    if (bytes.length < CONFLUENT_HEADER_LENGTH) {
      throw new InvalidEventException(
          "confluent: "
              + typeName
              + ": truncated header ("
              + bytes.length
              + " of "
              + CONFLUENT_HEADER_LENGTH
              + " bytes)");
    }
    int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
    Writer<T> writer = byId.get(id);
    if (writer == null) {
      writer = resolve(writers.byId(id));
      byId.put(id, writer);
    }
    return readWith(writer, bytes, CONFLUENT_HEADER_LENGTH);
  }

  private T readWith(Writer<T> writer, byte[] bytes, int offset) {
    if (writer.problem() != null) {
      throw invalid(writer.problem(), null);
    }
    checkBounds(bytes, offset, writer.schema());
    T record;
    try {
      record =
          writer
              .reader()
              .read(
                  null,
                  DecoderFactory.get().binaryDecoder(bytes, offset, bytes.length - offset, null));
    } catch (IOException | RuntimeException e) {
      throw invalid("corrupt record: " + rootMessage(e), e);
    }
    return copied(record);
  }

  private T copied(T record) {
    if (arrayCopier != null) {
      arrayCopier.apply(record); // copies in place, see DecodedArrays
    }
    return record;
  }

  /** How records written with {@code writer} read as this type, checked once per schema. */
  private Writer<T> resolve(Schema writer) {
    SchemaPairCompatibility compatibility =
        SchemaCompatibility.checkReaderWriterCompatibility(schema, writer);
    if (compatibility.getType() != SchemaCompatibilityType.COMPATIBLE) {
      var problems = new ArrayList<String>();
      for (Incompatibility i : compatibility.getResult().getIncompatibilities()) {
        problems.add(describe(i));
      }
      return new Writer<>(
          writer,
          null,
          "written with schema "
              + writer.getFullName()
              + String.format(" (0x%016x)", SchemaNormalization.parsingFingerprint64(writer))
              + ", which cannot be read as "
              + typeName
              + ": "
              + String.join("; ", problems));
    }
    return new Writer<>(writer, new SpecificDatumReader<>(writer, schema, model), null);
  }

  /** One incompatibility, naming the reader's field where there is one. */
  private String describe(Incompatibility i) {
    Matcher field = FIELD_LOCATION.matcher(i.getLocation());
    String where =
        field.lookingAt() && Integer.parseInt(field.group(1)) < schema.getFields().size()
            ? "field " + schema.getFields().get(Integer.parseInt(field.group(1))).name()
            : "at " + i.getLocation();
    return where + ": " + i.getMessage();
  }

  private static final Pattern FIELD_LOCATION = Pattern.compile("/fields/(\\d+)");

  private void checkBounds(byte[] bytes, int offset, Schema written) {
    int bodyLength = bytes.length - offset;
    BinaryDecoder in = DecoderFactory.get().binaryDecoder(bytes, offset, bodyLength, null);
    boolean consumedAll;
    try {
      new BoundedSkipper(in, bodyLength).skip(written);
      consumedAll = in.isEnd();
    } catch (EOFException e) {
      throw invalid("truncated record", e);
    } catch (IOException | RuntimeException e) {
      throw invalid("corrupt record: " + rootMessage(e), e);
    }
    if (!consumedAll) {
      throw invalid("unexpected bytes after the record", null);
    }
  }

  private InvalidEventException invalid(String problem, Throwable cause) {
    return new InvalidEventException("avro: " + typeName + ": " + problem, cause);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
  }

  /** Skips one datum like Avro's reader would read it, refusing lengths beyond the payload. */
  private static final class BoundedSkipper {
    private final BinaryDecoder in;
    private final long limit;
    private long collectionItems;

    BoundedSkipper(BinaryDecoder in, long limit) {
      this.in = in;
      this.limit = limit;
    }

    void skip(Schema schema) throws IOException {
      switch (schema.getType()) {
        case RECORD -> {
          for (Schema.Field field : schema.getFields()) {
            skip(field.schema());
          }
        }
        case ENUM -> checkIndex(in.readEnum(), schema.getEnumSymbols().size(), "enum symbol");
        case UNION -> {
          int branch = in.readIndex();
          checkIndex(branch, schema.getTypes().size(), "union branch");
          skip(schema.getTypes().get(branch));
        }
        case ARRAY -> {
          // readArrayStart/arrayNext read block counts exactly as the real reader does.
          for (long n = in.readArrayStart(); n != 0; n = in.arrayNext()) {
            countItems(n);
            for (long i = 0; i < n; i++) {
              skip(schema.getElementType());
            }
          }
        }
        case MAP -> {
          for (long n = in.readMapStart(); n != 0; n = in.mapNext()) {
            countItems(n);
            for (long i = 0; i < n; i++) {
              skipLengthPrefixed();
              skip(schema.getValueType());
            }
          }
        }
        case STRING, BYTES -> skipLengthPrefixed();
        case FIXED -> in.skipFixed(schema.getFixedSize());
        case INT -> in.readInt();
        case LONG -> in.readLong();
        case FLOAT -> in.readFloat();
        case DOUBLE -> in.readDouble();
        case BOOLEAN -> in.readBoolean();
        case NULL -> in.readNull();
      }
    }

    private void skipLengthPrefixed() throws IOException {
      long length = in.readLong();
      if (length < 0) {
        throw new IOException("negative length " + length);
      }
      if (length > limit) {
        throw new EOFException();
      }
      in.skipFixed((int) length);
    }

    // Every item type in the Tessera contract takes at least one byte, so more items than payload
    // bytes means the count is corrupt; the bound also stops huge counts of zero-byte items.
    private void countItems(long n) throws IOException {
      collectionItems += n;
      if (n < 0 || collectionItems > limit) {
        throw new EOFException();
      }
    }

    private static void checkIndex(int index, int size, String what) throws IOException {
      if (index < 0 || index >= size) {
        throw new IOException(what + " index " + index + " out of range 0.." + (size - 1));
      }
    }
  }
}
