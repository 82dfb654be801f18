package dev.tessera.features.source;

import dev.tessera.features.definition.SourceDeclaration;
import dev.tessera.schemas.serde.WriterSchemas;
import org.apache.avro.generic.GenericData;

/**
 * Turns the value of one record of a declared source into its row ({@link
 * SourceDeclaration#rowSchema()}), or refuses it with an {@link
 * dev.tessera.schemas.serde.InvalidEventException} whose reason names the source, the field's path
 * and the value. Compiled once per source; thread-safe.
 *
 * <pre>{@code
 * SourceDecoder decoder = SourceDecoder.of(transactions, WriterSchemas.none());
 * GenericData.Record row = decoder.decode(bytes);
 * }</pre>
 */
public interface SourceDecoder {
  GenericData.Record decode(byte[] value);

  /**
   * The decoder of {@code source}'s format.
   *
   * @param writers other schemas an Avro source's values may have been written with
   * @throws IllegalArgumentException if a declared path does not fit the source's schema
   */
  static SourceDecoder of(SourceDeclaration source, WriterSchemas writers) {
    return switch (source.format()) {
      case JSON -> new JsonSourceDecoder(source);
      case AVRO -> new AvroSourceDecoder(source, writers);
    };
  }
}
