package dev.tessera.serving.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.features.definition.EntityKey;
import dev.tessera.serving.inference.InvocationRow;
import dev.tessera.serving.inference.ModelInputs;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses MLflow scoring bodies into an {@link InvocationRequest}. Exactly one of:
 *
 * <ul>
 *   <li>{@code dataframe_records}: a list of records {@code {"customer_id": "C-1", "amount": 250}}
 *   <li>{@code dataframe_split}: {@code {"columns": [...], "data": [[...], ...]}} ({@code index} is
 *       allowed and ignored), each data row becomes a record
 *   <li>{@code instances}: a list whose items are records, key strings, or lists of numbers (a full
 *       feature vector in the model's input order)
 *   <li>{@code inputs}: the same list as {@code instances}, or columns {@code {"customer_id":
 *       [...], "amount": [...]}} of equal length
 * </ul>
 *
 * <p>A record holding every model input column by name is a full feature vector: it is scored as
 * given, with no lookup (its key, if any, is only logged). Otherwise it needs the key. Every other
 * field is a numeric request field for on-demand features (ignored by a model that does not use
 * them, and by full vectors). A record with some but not all input columns is refused, so a
 * forgotten column never silently turns into a lookup.
 */
final class MlflowRequests {
  static final String EXPECTED = "{\"dataframe_records\": [{\"customer_id\": \"...\"}]}";
  private static final List<String> FORMATS =
      List.of("dataframe_records", "dataframe_split", "instances", "inputs");
  private static final Set<String> FIELDS =
      Set.of("dataframe_records", "dataframe_split", "instances", "inputs", "client_request_id");

  private MlflowRequests() {}

  static InvocationRequest parse(JsonNode body, ModelInputs model, int maxRows) {
    JsonBodies.onlyFields(body, FIELDS, "this endpoint");
    String format = null;
    for (String f : FORMATS) {
      if (body.has(f)) {
        if (format != null) {
          throw ApiException.malformed(
              "Give exactly one of " + FORMATS + "; this body has " + format + " and " + f);
        }
        format = f;
      }
    }
    if (format == null) {
      throw ApiException.malformed(
          "Expected one of "
              + FORMATS
              + ", e.g. {\"dataframe_records\": [{\""
              + model.entityKeyField()
              + "\": \"C-1\"}]}");
    }
    JsonNode clientId = body.get("client_request_id");
    if (clientId != null && !clientId.isTextual()) {
      throw ApiException.invalidParameter("client_request_id must be a string");
    }
    var parser = new Rows(model, maxRows, format);
    JsonNode value = body.get(format);
    List<InvocationRow> rows =
        switch (format) {
          case "dataframe_records" -> parser.records(value);
          case "dataframe_split" -> parser.split(value);
          case "instances" -> parser.instances(value);
          default -> value.isObject() ? parser.columns(value) : parser.instances(value);
        };
    return new InvocationRequest(rows, clientId == null ? null : clientId.asText());
  }

  /** Turns one format's value into rows; {@code format} names it in messages. */
  private record Rows(ModelInputs model, int maxRows, String format) {

    List<InvocationRow> records(JsonNode list) {
      requireList(list, "a list of records like {\"" + model.entityKeyField() + "\": \"C-1\"}");
      var rows = new ArrayList<InvocationRow>(list.size());
      for (int i = 0; i < list.size(); i++) {
        JsonNode record = list.get(i);
        if (!record.isObject()) {
          throw ApiException.invalidParameter(format + "[" + i + "] must be a record (an object)");
        }
        var fields = new LinkedHashMap<String, JsonNode>();
        record.properties().forEach(e -> fields.put(e.getKey(), e.getValue()));
        rows.add(row(fields, format + "[" + i + "]"));
      }
      return rows;
    }

    List<InvocationRow> split(JsonNode split) {
      if (!split.isObject()) {
        throw ApiException.malformed(
            "dataframe_split must be an object {\"columns\": [...], \"data\": [[...]]}");
      }
      JsonBodies.onlyFields(split, Set.of("columns", "data", "index"), "dataframe_split");
      JsonNode columns = split.get("columns");
      if (columns == null || !columns.isArray() || columns.isEmpty()) {
        throw ApiException.invalidParameter("dataframe_split.columns must be a non-empty list");
      }
      var names = new ArrayList<String>(columns.size());
      for (JsonNode c : columns) {
        if (!c.isTextual() || names.contains(c.asText())) {
          throw ApiException.invalidParameter(
              "dataframe_split.columns must be distinct strings, got " + columns);
        }
        names.add(c.asText());
      }
      JsonNode data = split.get("data");
      requireList(data, "dataframe_split.data: a list of rows, one value per column");
      var rows = new ArrayList<InvocationRow>(data.size());
      for (int i = 0; i < data.size(); i++) {
        JsonNode values = data.get(i);
        String where = "dataframe_split.data[" + i + "]";
        if (!values.isArray() || values.size() != names.size()) {
          throw ApiException.invalidParameter(
              where + " must be a list of " + names.size() + " values, one per column " + names);
        }
        var fields = new LinkedHashMap<String, JsonNode>();
        for (int c = 0; c < names.size(); c++) {
          fields.put(names.get(c), values.get(c));
        }
        rows.add(row(fields, where));
      }
      return rows;
    }

    List<InvocationRow> instances(JsonNode list) {
      requireList(
          list,
          "a list of records, keys, or lists of "
              + model.width()
              + " feature values "
              + model.columns());
      var rows = new ArrayList<InvocationRow>(list.size());
      for (int i = 0; i < list.size(); i++) {
        JsonNode item = list.get(i);
        String where = format + "[" + i + "]";
        if (item.isObject()) {
          var fields = new LinkedHashMap<String, JsonNode>();
          item.properties().forEach(e -> fields.put(e.getKey(), e.getValue()));
          rows.add(row(fields, where));
        } else if (item.isTextual() && !item.asText().isEmpty()) {
          rows.add(InvocationRow.lookup(item.asText(), Map.of()));
        } else if (item.isArray()) {
          rows.add(InvocationRow.vector(null, vector(item, where)));
        } else {
          throw ApiException.invalidParameter(
              where
                  + " must be a record, a non-empty "
                  + model.entityKeyField()
                  + " string, or a list of "
                  + model.width()
                  + " numbers");
        }
      }
      return rows;
    }

    List<InvocationRow> columns(JsonNode columns) {
      if (columns.isEmpty()) {
        throw ApiException.invalidParameter("inputs is empty");
      }
      int n = -1;
      for (var e : columns.properties()) {
        JsonNode values = e.getValue();
        if (!values.isArray() || (n >= 0 && values.size() != n)) {
          throw ApiException.invalidParameter(
              "inputs as columns must map each column to a list, all of the same length;"
                  + " inputs."
                  + e.getKey()
                  + " is not");
        }
        n = values.size();
      }
      requireSize(n);
      var rows = new ArrayList<InvocationRow>(n);
      for (int i = 0; i < n; i++) {
        var fields = new LinkedHashMap<String, JsonNode>();
        int row = i;
        columns.properties().forEach(e -> fields.put(e.getKey(), e.getValue().get(row)));
        rows.add(row(fields, "inputs row " + i));
      }
      return rows;
    }

    private void requireList(JsonNode list, String expected) {
      if (list == null || !list.isArray()) {
        throw ApiException.malformed("Expected " + format + ": " + expected);
      }
      requireSize(list.size());
    }

    private void requireSize(int size) {
      if (size == 0) {
        throw ApiException.invalidParameter(format + " is empty");
      }
      if (size > maxRows) {
        throw ApiException.invalidParameter(
            format + " has " + size + " rows; at most " + maxRows + " per request");
      }
    }

    /** A record: all model inputs → full vector, none → key + request fields, some → refused. */
    private InvocationRow row(Map<String, JsonNode> fields, String where) {
      String keyField = model.entityKeyField();
      List<String> keyFields = model.entityKeyFields();
      String key = key(fields, keyFields, where);
      List<String> columns = model.columns();
      int present = 0;
      for (String c : columns) {
        if (fields.containsKey(c)) {
          present++;
        }
      }
      if (present > 0 && present < columns.size()) {
        var missing = new ArrayList<String>();
        columns.stream().filter(c -> !fields.containsKey(c)).forEach(missing::add);
        throw ApiException.invalidParameter(
            where
                + " has "
                + present
                + " of the model's "
                + columns.size()
                + " input columns (missing "
                + missing
                + "); give all of them to score values directly, or none to look them up by "
                + keyField);
      }
      if (present == 0 && key == null) {
        throw ApiException.invalidParameter(
            where
                + " needs a non-empty string "
                + keyField
                + " (or every model input column "
                + columns
                + ")");
      }
      // Every other field is a request field: a number, even where the model ignores it.
      Map<String, Double> request = Map.of(); // most rows carry only the key
      for (var e : fields.entrySet()) {
        if (!keyFields.contains(e.getKey()) && !columns.contains(e.getKey())) {
          if (request.isEmpty()) {
            request = new HashMap<>();
          }
          request.put(
              e.getKey(),
              number(
                  e.getValue(),
                  where + "." + e.getKey() + " (request fields feed on-demand features)"));
        }
      }
      if (present == columns.size()) {
        float[] vector = new float[columns.size()];
        for (int i = 0; i < vector.length; i++) {
          vector[i] = feature(fields.get(columns.get(i)), where + "." + columns.get(i));
        }
        return InvocationRow.vector(key, vector);
      }
      return InvocationRow.lookup(key, request);
    }

    /**
     * The row's key: its key field's value, or for an entity of several key fields their values
     * joined ({@link EntityKey}); null when the row has none of them. A whole-number id is a key as
     * its digits, as the pipeline reads it from events.
     */
    private static String key(Map<String, JsonNode> fields, List<String> keyFields, String where) {
      String[] values = new String[keyFields.size()];
      int present = 0;
      for (int i = 0; i < values.length; i++) {
        JsonNode node = fields.get(keyFields.get(i));
        if (node == null) {
          continue;
        }
        if (!(node.isTextual() || node.isIntegralNumber()) || node.asText().isEmpty()) {
          throw ApiException.invalidParameter(
              where + "." + keyFields.get(i) + " must be a non-empty string");
        }
        values[i] = node.asText();
        present++;
      }
      if (present == 0) {
        return null;
      }
      if (present < values.length) {
        var missing = new ArrayList<String>();
        for (int i = 0; i < values.length; i++) {
          if (values[i] == null) {
            missing.add(keyFields.get(i));
          }
        }
        throw ApiException.invalidParameter(
            where + " needs every key field " + keyFields + "; missing " + missing);
      }
      return EntityKey.of(values);
    }

    private float[] vector(JsonNode values, String where) {
      if (values.size() != model.width()) {
        throw ApiException.invalidParameter(
            where
                + " has "
                + values.size()
                + " values; the model takes "
                + model.width()
                + " "
                + model.columns());
      }
      float[] vector = new float[values.size()];
      for (int i = 0; i < vector.length; i++) {
        vector[i] = feature(values.get(i), where + "[" + i + "]");
      }
      return vector;
    }
  }

  /** A feature value: a JSON number that is finite as a float (the models' input type). */
  static float feature(JsonNode value, String what) {
    float f = (float) number(value, what);
    if (!Float.isFinite(f)) {
      throw ApiException.invalidParameter(what + " is out of the float range: " + value);
    }
    return f;
  }

  /** A finite JSON number, or a 400 naming {@code what}. */
  static double number(JsonNode value, String what) {
    if (value == null || !value.isNumber() || !Double.isFinite(value.asDouble())) {
      throw ApiException.invalidParameter(what + " must be a finite number, got " + value);
    }
    return value.asDouble();
  }
}
