package dev.tessera.features.state;

import dev.tessera.features.aggregate.PartialLayout;
import dev.tessera.features.aggregate.Partials;
import java.nio.BufferUnderflowException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** The binary form of {@link Partials} of one layout, as stores and changelogs hold it. */
public final class PartialsSerde implements Serde<Partials> {
  private final PartialLayout layout;

  public PartialsSerde(PartialLayout layout) {
    this.layout = layout;
  }

  @Override
  public Serializer<Partials> serializer() {
    return (topic, p) -> p == null ? null : layout.serialize(p);
  }

  @Override
  public Deserializer<Partials> deserializer() {
    return (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      try {
        return layout.deserialize(bytes);
      } catch (IllegalArgumentException | BufferUnderflowException e) {
        throw new SerializationException("Unreadable feature partials: " + e.getMessage(), e);
      }
    };
  }
}
