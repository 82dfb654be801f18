package dev.tessera.schemas.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * What is wrong with one JSON value, and where. Thrown while converting and collecting its path on
 * the way up (cheaper than tracking the path for every value that is fine), then turned into an
 * {@link InvalidEventException} by {@link JsonEventReader}. No stack trace: it is control flow.
 */
final class JsonProblem extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private static final int MAX_ECHO_LENGTH = 40;

  private String path = "";

  JsonProblem(String problem) {
    super(problem, null, false, false);
  }

  static JsonProblem mismatch(String expected, JsonNode actual) {
    return new JsonProblem("expected " + expected + ", got " + describe(actual));
  }

  /** Prepends a path segment such as {@code .order_total}, {@code [3]} or {@code ["key"]}. */
  JsonProblem under(String segment) {
    path = segment + path;
    return this;
  }

  String path() {
    return path;
  }

  static String describe(JsonNode node) {
    if (node.isNull()) {
      return "null";
    } else if (node.isTextual()) {
      return "string " + quote(node.textValue());
    } else if (node.isNumber()) {
      return "number " + clip(node.asText());
    } else if (node.isBoolean()) {
      return "boolean " + node.asText();
    } else if (node.isArray()) {
      return "an array";
    } else if (node.isObject()) {
      return "an object";
    }
    return node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
  }

  /** A JSON string literal of the (possibly clipped) text, so quotes and newlines stay escaped. */
  static String quote(String text) {
    return TextNode.valueOf(clip(text)).toString();
  }

  /** A field name in single quotes, like the schema's own names, escaped as in a JSON string. */
  static String quoteName(String name) {
    String json = quote(name);
    return "'" + json.substring(1, json.length() - 1) + "'";
  }

  static String clip(String text) {
    return text.length() <= MAX_ECHO_LENGTH ? text : text.substring(0, MAX_ECHO_LENGTH) + "...";
  }
}
