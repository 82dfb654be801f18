package dev.tessera.schemas.serde;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.SchemaParseException;

/**
 * The writer schemas an event may have been written with, besides the schema Tessera reads it as:
 * earlier or later versions of it in a directory of {@code .avsc} files, found by the CRC-64-AVRO
 * fingerprint of Avro single-object encoding, and the schemas of a schema registry, found by the id
 * of Confluent's wire format. A record written with one of them is resolved to the reader schema
 * (fields added with defaults, fields removed, promotions), as Avro's schema resolution defines.
 *
 * <pre>{@code
 * var writers = WriterSchemas.of(Path.of("schemas"), null);
 * EventSerde<Order> orders = EventSerde.of(Order.class, writers);
 * }</pre>
 */
public final class WriterSchemas {
  /**
   * Earlier versions of Tessera's own event schemas, shipped in the jar, so that records written
   * before a schema gained a field still read.
   */
  private static final List<String> PREVIOUS_VERSIONS = List.of("Customer-1.avsc");

  private static final Map<Long, Schema> BUILT_IN = previousVersions();
  private static final WriterSchemas NONE = new WriterSchemas(null, Map.of(), null);

  private final Path directory;
  private final Map<Long, Schema> byFingerprint;
  private final SchemaRegistryClient registry;

  private WriterSchemas(
      Path directory, Map<Long, Schema> byFingerprint, SchemaRegistryClient registry) {
    this.directory = directory;
    this.byFingerprint = Map.copyOf(byFingerprint);
    this.registry = registry;
  }

  /** Only the reader schemas themselves. */
  public static WriterSchemas none() {
    return NONE;
  }

  /**
   * Every {@code .avsc} file of {@code directory} (each one schema), and {@code registry}.
   *
   * @param directory a directory of schema files, or null for none
   * @param registry a schema registry, or null for none
   * @throws IllegalArgumentException naming the file that is not a schema
   * @throws UncheckedIOException if the directory cannot be read
   */
  public static WriterSchemas of(Path directory, SchemaRegistryClient registry) {
    var schemas = new HashMap<Long, Schema>();
    if (directory != null) {
      try (Stream<Path> files = Files.list(directory)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".avsc")).sorted().toList()) {
          Schema schema;
          try {
            schema = new Schema.Parser().parse(file.toFile());
          } catch (SchemaParseException e) {
            throw new IllegalArgumentException(
                "Schema file " + file + " is not an Avro schema: " + e.getMessage(), e);
          }
          schemas.put(SchemaNormalization.parsingFingerprint64(schema), schema);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read the schema directory " + directory, e);
      }
    }
    return new WriterSchemas(directory, schemas, registry);
  }

  /** The schema of the directory, or an earlier version of Tessera's, with this fingerprint. */
  Optional<Schema> byFingerprint(long fingerprint) {
    Schema schema = byFingerprint.get(fingerprint);
    return Optional.ofNullable(schema != null ? schema : BUILT_IN.get(fingerprint));
  }

  private static Map<Long, Schema> previousVersions() {
    var schemas = new HashMap<Long, Schema>();
    for (String name : PREVIOUS_VERSIONS) {
      String resource = "/dev/tessera/schemas/previous/" + name;
      try (InputStream in = WriterSchemas.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("Missing resource " + resource);
        }
        Schema schema = new Schema.Parser().parse(in);
        schemas.put(SchemaNormalization.parsingFingerprint64(schema), schema);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + resource, e);
      }
    }
    return Map.copyOf(schemas);
  }

  /**
   * The registry's schema with this id.
   *
   * @throws InvalidEventException if no registry is configured, or as {@link
   *     SchemaRegistryClient#schema}
   */
  Schema byId(int id) {
    if (registry == null) {
      throw new InvalidEventException(
          "confluent: the record names schema id "
              + id
              + " of a schema registry, and none is configured (schema.registry.url)");
    }
    return registry.schema(id);
  }

  /** Where writer schemas come from, for messages. */
  String describeDirectory() {
    return directory == null
        ? ", and no schema directory is configured (schemas.dir)"
        : " nor one in the schema directory " + directory;
  }
}
