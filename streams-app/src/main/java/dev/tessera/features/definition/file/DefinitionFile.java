package dev.tessera.features.definition.file;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.schemas.serde.EventSerde;
import dev.tessera.schemas.topic.Topic;
import dev.tessera.schemas.topic.TopicCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Feature views and services declared as data, in YAML or JSON, and checked against the event
 * schemas when they are loaded. The format is described in docs/FEATURES.md, "Definition file".
 *
 * <pre>{@code
 * Map<String, Schema> eventSchemas = DefinitionFile.eventSchemas(TopicCatalog.defaults());
 * FeatureRegistry registry = DefinitionFile.load(Path.of("features.yaml"), eventSchemas);
 * FeatureRegistry shipped =
 *     DefinitionFile.loadResource(DefinitionFile.SHIPPED_RESOURCE, eventSchemas);
 * }</pre>
 *
 * <p>A short file:
 *
 * <pre>{@code
 * views:
 *   - name: customer_churn
 *     entity: customer_id
 *     sources:
 *       - {topic: orders, key: customer_id, time: order_ts}
 *     features:
 *       - {name: total_orders, source: orders, aggregation: count, window: lifetime}
 *       - {name: orders_30d, source: orders, aggregation: count, window: 30d}
 * services:
 *   - {name: churn_v1, features: [customer_churn.total_orders, customer_churn.orders_30d]}
 * }</pre>
 *
 * <p>Any problem throws a {@link DefinitionException} whose message names the source and the line,
 * e.g. {@code features.yaml:7: unknown aggregation 'avg' in feature ...}; the first problem wins.
 */
public final class DefinitionFile {
  /** Class-path resource holding the views and services Tessera ships. */
  public static final String SHIPPED_RESOURCE = "/dev/tessera/features/features.yaml";

  private static final YAMLFactory YAML = YAMLFactory.builder().build();
  private static final JsonFactory JSON = JsonFactory.builder().build();

  private DefinitionFile() {}

  /**
   * Reads a definition file; {@code .json} files are read as JSON, anything else as YAML.
   *
   * @throws DefinitionException if the file is not a valid definition
   * @throws UncheckedIOException if the file cannot be read
   */
  public static FeatureRegistry load(Path path, Map<String, Schema> eventSchemas) {
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read feature definitions " + path, e);
    }
    return parse(text, path.toString(), path.toAbsolutePath().getParent(), eventSchemas);
  }

  /**
   * Reads a definition file from the class path, e.g. {@link #SHIPPED_RESOURCE}; a name without a
   * leading '/' is relative to this class's package.
   *
   * @throws DefinitionException if the resource is not a valid definition
   * @throws IllegalArgumentException if there is no such resource
   */
  public static FeatureRegistry loadResource(String resource, Map<String, Schema> eventSchemas) {
    String text;
    try (InputStream in = DefinitionFile.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException(
            "No feature definitions " + resource + " on the class path");
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read feature definitions " + resource, e);
    }
    return parse(text, resource, null, eventSchemas);
  }

  /**
   * Reads definitions from text.
   *
   * @param text YAML, or JSON when {@code sourceName} ends with {@code .json}
   * @param sourceName how messages name the text, e.g. its file name
   * @param eventSchemas the Avro schema of each topic's events, by topic name; {@code customers} is
   *     needed for customer features and keys
   * @throws DefinitionException if the text is not a valid definition
   */
  public static FeatureRegistry parse(
      String text, String sourceName, Map<String, Schema> eventSchemas) {
    return parse(text, sourceName, null, eventSchemas);
  }

  /**
   * As {@link #parse(String, String, Map)}, with the directory that schema files named in the text
   * (Avro sources' {@code schema:}) are relative to; null: the working directory.
   */
  public static FeatureRegistry parse(
      String text, String sourceName, Path baseDirectory, Map<String, Schema> eventSchemas) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(sourceName, "sourceName");
    Objects.requireNonNull(eventSchemas, "eventSchemas");
    boolean json = sourceName.toLowerCase(Locale.ROOT).endsWith(".json");
    Node root;
    // JSON is YAML, but SnakeYAML rejects tab-indented JSON, so JSON gets Jackson's own parser.
    try (JsonParser parser = (json ? JSON : YAML).createParser(text)) {
      root = Node.read(parser, sourceName);
    } catch (JsonProcessingException e) {
      throw syntaxError(e, sourceName, json ? "JSON" : "YAML");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read feature definitions " + sourceName, e);
    }
    return new DefinitionReader(sourceName, baseDirectory, eventSchemas).read(root);
  }

  private static DefinitionException syntaxError(
      JsonProcessingException e, String sourceName, String format) {
    // SnakeYAML's marks are exact where Jackson's location may point at the start of the token.
    if (e.getCause() instanceof MarkedYAMLException m && m.getProblemMark() != null) {
      String problem = m.getProblem();
      if (m.getContext() != null && m.getContextMark() != null) {
        problem += " (" + m.getContext() + " on line " + (m.getContextMark().getLine() + 1) + ")";
      }
      return new DefinitionException(
          sourceName, m.getProblemMark().getLine() + 1, format + " syntax error: " + problem, e);
    }
    int line = e.getLocation() == null ? 1 : Math.max(1, e.getLocation().getLineNr());
    return new DefinitionException(
        sourceName, line, format + " syntax error: " + e.getOriginalMessage(), e);
  }

  /**
   * The Avro schema of the events of each event topic of {@code topics} (orders, clicks, customers,
   * outcomes), by topic name: the {@code eventSchemas} argument of the loaders.
   */
  public static Map<String, Schema> eventSchemas(TopicCatalog topics) {
    var schemas = new LinkedHashMap<String, Schema>();
    for (Topic<?, ?> t :
        List.of(topics.orders(), topics.clicks(), topics.customers(), topics.outcomes())) {
      schemas.put(t.name(), ((EventSerde<?>) t.valueSerde()).schema());
    }
    return Collections.unmodifiableMap(schemas);
  }
}
