package dev.tessera.features.source;

import dev.tessera.features.definition.SourceDeclaration;
import dev.tessera.schemas.serde.WriterSchemas;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serdes of a declared source's rows. {@link #rows(SourceDeclaration)} writes and reads a row as
 * plain Avro binary of {@link SourceDeclaration#rowSchema()}: what Tessera's own internal topics
 * (the repartition topics of the source) carry. {@link #source(SourceDeclaration, WriterSchemas)}
 * reads the user's topic in the declared format into rows; its serializer writes rows, which only a
 * test piping rows would use.
 *
 * <pre>{@code
 * Serde<GenericRecord> in = RowSerde.source(transactions, WriterSchemas.none());
 * Serde<GenericRecord> internal = RowSerde.rows(transactions);
 * }</pre>
 */
public final class RowSerde {
  private RowSerde() {}

  /** Rows as Avro binary, for internal topics. */
  public static Serde<GenericRecord> rows(SourceDeclaration source) {
    Schema schema = source.rowSchema();
    var model = new GenericData();
    model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
    var writer = new GenericDatumWriter<GenericRecord>(schema, model);
    var reader = new GenericDatumReader<GenericRecord>(schema, schema, model);
    Serializer<GenericRecord> serializer =
        (topic, row) -> {
          if (row == null) {
            return null;
          }
          var out = new ByteArrayOutputStream(64);
          BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
          try {
            writer.write(row, encoder);
            encoder.flush();
          } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                "Cannot write a row of source " + source.name() + " to " + topic, e);
          }
          return out.toByteArray();
        };
    Deserializer<GenericRecord> deserializer =
        (topic, bytes) -> {
          if (bytes == null) {
            return null;
          }
          try {
            return reader.read(null, DecoderFactory.get().binaryDecoder(bytes, null));
          } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                "Cannot read a row of source " + source.name() + " from " + topic, e);
          }
        };
    return Serdes.serdeFrom(serializer, deserializer);
  }

  /** The user's topic in its declared format, decoded into rows. */
  public static Serde<GenericRecord> source(SourceDeclaration source, WriterSchemas writers) {
    SourceDecoder decoder = SourceDecoder.of(source, writers);
    Deserializer<GenericRecord> deserializer =
        (topic, bytes) -> bytes == null ? null : decoder.decode(bytes);
    return Serdes.serdeFrom(rows(source).serializer(), deserializer);
  }
}
