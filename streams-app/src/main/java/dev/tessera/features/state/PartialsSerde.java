package dev.tessera.features.state;

import dev.tessera.features.aggregate.Partials;
import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Fixed-width binary form of {@link Partials}: the newest event time (8 bytes) followed by the
 * slots (8 bytes each), big-endian. Stores and changelogs hold this form.
 */
public final class PartialsSerde implements Serde<Partials> {
  private final int width;

  /** A serde for partials of {@code width} slots. */
  public PartialsSerde(int width) {
    this.width = width;
  }

  @Override
  public Serializer<Partials> serializer() {
    return (topic, p) -> {
      if (p == null) {
        return null;
      }
      ByteBuffer buf = ByteBuffer.allocate(Long.BYTES + Double.BYTES * width);
      buf.putLong(p.newestEventTime());
      for (double slot : p.slots()) {
        buf.putDouble(slot);
      }
      return buf.array();
    };
  }

  @Override
  public Deserializer<Partials> deserializer() {
    return (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      if (bytes.length != Long.BYTES + Double.BYTES * width) {
        throw new SerializationException(
            "Partials of "
                + width
                + " slots need "
                + (Long.BYTES + Double.BYTES * width)
                + " bytes, got "
                + bytes.length
                + " (store written by another feature definition?)");
      }
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      long newest = buf.getLong();
      double[] slots = new double[width];
      for (int i = 0; i < width; i++) {
        slots[i] = buf.getDouble();
      }
      return new Partials(newest, slots);
    };
  }
}
