package dev.tessera.features.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.tessera.features.definition.SourceDeclaration;
import dev.tessera.features.definition.SourceDeclaration.FieldType;
import dev.tessera.features.definition.SourceDeclaration.SourceField;
import dev.tessera.features.definition.SourceDeclaration.UnknownFields;
import dev.tessera.schemas.serde.InvalidEventException;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericData;

/**
 * Decodes one JSON object into a declared source's row in a single pass of a streaming parser: the
 * declared paths are compiled into a tree once, and each field name of the value is matched against
 * the children of the object it is in, so values the source does not declare are skipped without
 * being built. A declared field that is absent or null stays null in the row.
 *
 * <p>Accepted: a string field also takes a whole number (written as its digits, as ids often are);
 * a whole-number field takes whole numbers; a number field any number; epoch times whole or
 * fractional numbers, ISO-8601 times strings with a zone. Anything else is an {@link
 * InvalidEventException} naming the source, the path and the value.
 */
final class JsonSourceDecoder implements SourceDecoder {
  private static final JsonFactory JSON =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  /** One level of the declared paths: a leaf is a row slot, anything else an object. */
  private static final class PathNode {
    final String path;
    final Map<String, PathNode> children = new HashMap<>();
    int slot = -1;
    FieldType type;
    boolean time;

    PathNode(String path) {
      this.path = path;
    }

    boolean leaf() {
      return slot >= 0;
    }
  }

  private final SourceRows rows;
  private final PathNode root = new PathNode("");
  private final boolean rejectUnknown;

  JsonSourceDecoder(SourceDeclaration source) {
    this.rows = new SourceRows(source);
    this.rejectUnknown = source.unknownFields() == UnknownFields.REJECT;
    List<SourceField> fields = source.fields();
    for (int i = 0; i < fields.size(); i++) {
      PathNode leaf = place(fields.get(i).path(), fields.get(i).dotted());
      leaf.slot = i;
      leaf.type = fields.get(i).type();
    }
    PathNode time = place(source.time().path(), source.time().dotted());
    time.slot = rows.timeSlot();
    time.time = true;
  }

  private PathNode place(List<String> path, String dotted) {
    PathNode node = root;
    for (int i = 0; i < path.size(); i++) {
      if (node.leaf()) {
        throw new IllegalArgumentException(
            "Source "
                + rows.source().name()
                + " reads "
                + node.path
                + " both as a value and below");
      }
      String prefix = String.join(".", path.subList(0, i + 1));
      node = node.children.computeIfAbsent(path.get(i), k -> new PathNode(prefix));
    }
    if (node.leaf() || !node.children.isEmpty()) {
      throw new IllegalArgumentException(
          "Source " + rows.source().name() + " reads " + dotted + " twice or also below");
    }
    return node;
  }

  @Override
  public GenericData.Record decode(byte[] bytes) {
    GenericData.Record row = rows.newRow();
    try (JsonParser parser = JSON.createParser(bytes)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw rows.invalid("value", "expected a JSON object, got " + describe(parser));
      }
      readObject(parser, root, row);
      if (parser.nextToken() != null) {
        throw rows.invalid("value", "more than one JSON value in the record");
      }
    } catch (JsonParseException e) {
      throw rows.invalid(
          "value",
          "not valid JSON: "
              + e.getOriginalMessage()
              + " (line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + ")");
    } catch (IOException e) {
      throw new InvalidEventException(rows.source().name() + ": cannot read JSON: " + e, e);
    }
    return rows.complete(row);
  }

  private void readObject(JsonParser parser, PathNode node, GenericData.Record row)
      throws IOException {
    JsonToken token;
    while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      PathNode child = node.children.get(name);
      JsonToken value = parser.nextToken();
      if (child == null) {
        if (rejectUnknown) {
          String path = node.path.isEmpty() ? name : node.path + "." + name;
          throw rows.invalid(path, "unknown field (the source declares unknown_fields: reject)");
        }
        parser.skipChildren();
      } else if (child.leaf()) {
        if (value != JsonToken.VALUE_NULL) {
          row.put(child.slot, child.time ? time(parser, value) : value(parser, value, child));
        }
      } else if (value == JsonToken.START_OBJECT) {
        readObject(parser, child, row);
      } else if (value != JsonToken.VALUE_NULL) {
        throw rows.invalid(child.path, "expected an object, got " + describe(parser));
      }
    }
    if (token != JsonToken.END_OBJECT) {
      throw rows.invalid("value", "malformed JSON object");
    }
  }

  private Object value(JsonParser parser, JsonToken token, PathNode leaf) throws IOException {
    switch (leaf.type) {
      case STRING:
        if (token == JsonToken.VALUE_STRING) {
          return parser.getText();
        }
        if (token == JsonToken.VALUE_NUMBER_INT) {
          return parser.getText();
        }
        break;
      case LONG:
        if (token == JsonToken.VALUE_NUMBER_INT
            && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
          return parser.getLongValue();
        }
        break;
      case DOUBLE:
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
          return rows.finite(leaf.path, parser.getDoubleValue());
        }
        break;
      case BOOLEAN:
        if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
          return token == JsonToken.VALUE_TRUE;
        }
        break;
    }
    throw rows.mismatch(leaf.path, leaf.type, describe(parser));
  }

  private Object time(JsonParser parser, JsonToken token) throws IOException {
    if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
      return rows.timeOfNumber(parser.getDoubleValue(), parser.getText());
    }
    if (token == JsonToken.VALUE_STRING) {
      return rows.timeOfText(parser.getText());
    }
    throw rows.invalid(
        rows.source().time().dotted(),
        "expected a time (" + rows.unit() + "), got " + describe(parser));
  }

  private static String describe(JsonParser parser) throws IOException {
    JsonToken token = parser.currentToken();
    if (token == null) {
      return "nothing";
    }
    return switch (token) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "string " + SourceRows.quote(parser.getText());
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number " + parser.getText();
      case VALUE_TRUE, VALUE_FALSE -> parser.getText();
      case VALUE_NULL -> "null";
      default -> token.toString();
    };
  }
}
