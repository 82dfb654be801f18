package dev.tessera.schemas.serde;

import java.nio.ByteBuffer;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** TEMPORARY stub, replaced by the serde branch. */
public final class EventSerde<T extends SpecificRecord> implements Serde<T> {
  private final BinaryMessageEncoder<T> encoder;
  private final BinaryMessageDecoder<T> decoder;
  private final org.apache.avro.Schema schema;

  private EventSerde(Class<T> type) {
    this.schema = SpecificData.get().getSchema(type);
    this.encoder = new BinaryMessageEncoder<>(SpecificData.get(), schema);
    this.decoder = new BinaryMessageDecoder<>(SpecificData.get(), schema);
  }

  public static <T extends SpecificRecord> EventSerde<T> of(Class<T> type) {
    return new EventSerde<>(type);
  }

  public org.apache.avro.Schema schema() {
    return schema;
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, value) -> {
      try {
        return value == null ? null : encoder.encode(value).array();
      } catch (java.io.IOException e) {
        throw new InvalidEventException(e.getMessage());
      }
    };
  }

  @Override
  public Deserializer<T> deserializer() {
    return (topic, bytes) -> {
      try {
        return bytes == null ? null : decoder.decode(ByteBuffer.wrap(bytes));
      } catch (Exception e) {
        throw new InvalidEventException("avro: " + e.getMessage());
      }
    };
  }
}
