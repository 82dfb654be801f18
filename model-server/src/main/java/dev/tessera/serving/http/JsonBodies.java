package dev.tessera.serving.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;

/** Parsing of JSON request bodies into objects, with 400s that say what was expected. */
final class JsonBodies {
  private JsonBodies() {}

  /**
   * The body as a JSON object.
   *
   * @param expected what a valid body looks like, for the error messages
   */
  static JsonNode object(ObjectMapper json, byte[] bytes, String expected) {
    if (bytes.length == 0) {
      throw ApiException.malformed("Empty body; expected " + expected);
    }
    try {
      JsonNode node = json.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw ApiException.malformed("Body must be a JSON object: " + expected);
      }
      return node;
    } catch (JsonProcessingException e) {
      throw ApiException.malformed("Body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiException.malformed("Body could not be read: " + e.getMessage());
    }
  }

  /** Rejects fields of {@code body} not in {@code allowed}. */
  static void onlyFields(JsonNode body, Set<String> allowed, String where) {
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!allowed.contains(field)) {
        throw ApiException.malformed(
            "Unsupported field '" + field + "'; " + where + " accepts " + new TreeSet<>(allowed));
      }
    }
  }
}
