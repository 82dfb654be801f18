package dev.tessera.features.definition.file;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed YAML or JSON document whose every node remembers its line. Jackson's {@code JsonNode}
 * drops locations, so the streaming parser's tokens are assembled into this tree instead.
 */
sealed interface Node permits Node.Mapping, Node.Sequence, Node.Scalar {

  /** The 1-based line where the node starts. */
  int line();

  /** What the node is, for messages: "a mapping", "a list", "a number"... */
  String describe();

  /** One key of a mapping, with the line of the key itself. */
  record Entry(String key, int line, Node value) {}

  /** A mapping, its keys in document order. */
  record Mapping(int line, Map<String, Entry> entries) implements Node {
    @Override
    public String describe() {
      return "a mapping";
    }
  }

  /** A list. */
  record Sequence(int line, List<Node> items) implements Node {
    @Override
    public String describe() {
      return "a list";
    }
  }

  /**
   * A single value.
   *
   * @param token VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE or
   *     VALUE_NULL
   * @param text the value as written (YAML's {@code yes} stays "yes"); null for VALUE_NULL
   * @param number the value of a number token, else null
   */
  record Scalar(int line, JsonToken token, String text, Number number) implements Node {
    boolean isNull() {
      return token == JsonToken.VALUE_NULL;
    }

    boolean isNumber() {
      return number != null;
    }

    @Override
    public String describe() {
      return switch (token) {
        case VALUE_NULL -> "no value";
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "the number " + text;
        case VALUE_TRUE, VALUE_FALSE -> "the boolean " + text;
        default -> "'" + text + "'";
      };
    }
  }

  /**
   * Reads the single document of {@code parser}; an empty document yields null. Duplicate keys,
   * YAML aliases and further documents are errors, because Jackson would silently keep the last key
   * and not resolve aliases in a stream.
   */
  static Node read(JsonParser parser, String source) throws IOException {
    if (parser.nextToken() == null) {
      return null;
    }
    Node root = readValue(parser, source);
    if (parser.nextToken() != null) {
      throw new DefinitionException(
          source, line(parser), "a second document starts here; put everything in one document");
    }
    return root;
  }

  private static Node readValue(JsonParser p, String source) throws IOException {
    int line = line(p);
    JsonToken token = p.currentToken();
    if (p instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
      throw new DefinitionException(
          source, line, "YAML aliases (*" + p.getText() + ") are not supported; repeat the value");
    }
    switch (token) {
      case START_OBJECT -> {
        var entries = new LinkedHashMap<String, Entry>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          int keyLine = line(p);
          p.nextToken();
          Entry previous = entries.put(key, new Entry(key, keyLine, readValue(p, source)));
          if (previous != null) {
            throw new DefinitionException(
                source,
                keyLine,
                "duplicate key '" + key + "' (first on line " + previous.line() + ")");
          }
        }
        return new Mapping(line, Collections.unmodifiableMap(entries));
      }
      case START_ARRAY -> {
        var items = new ArrayList<Node>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          items.add(readValue(p, source));
        }
        return new Sequence(line, Collections.unmodifiableList(items));
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        return new Scalar(line, token, p.getText(), p.getNumberValue());
      }
      case VALUE_NULL -> {
        return new Scalar(line, token, null, null);
      }
      case VALUE_STRING, VALUE_TRUE, VALUE_FALSE -> {
        return new Scalar(line, token, p.getText(), null);
      }
      default ->
          throw new DefinitionException(source, line, "unexpected " + token + " in the document");
    }
  }

  private static int line(JsonParser p) {
    return p.currentTokenLocation().getLineNr();
  }
}
