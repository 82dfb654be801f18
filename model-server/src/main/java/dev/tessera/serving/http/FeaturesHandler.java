package dev.tessera.serving.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.features.definition.EntityKey;
import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.definition.FeatureView;
import dev.tessera.features.query.FeatureRouter;
import dev.tessera.features.query.FeatureVector;
import dev.tessera.features.query.FeatureVectorJson;
import dev.tessera.features.query.LookupRow;
import dev.tessera.features.query.UnknownViewException;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The lookup API: one key ({@code GET /features/{view}/{key}}, request fields as query parameters),
 * many keys in one round trip ({@code POST /features/lookup}), and the route other nodes forward
 * lookups to.
 *
 * <pre>
 * curl -s 'localhost:8080/features/customer_risk/C-1?amount=250&amp;lat=52.52&amp;lon=13.40'
 * curl -s localhost:8080/features/lookup -d '{"view":"customer_churn","keys":["C-1","C-2"]}'
 * </pre>
 */
final class FeaturesHandler {
  private final FeatureRouter router;
  private final FeatureRegistry registry;
  private final ObjectMapper json;
  private final Clock clock;
  private final int maxRows;

  FeaturesHandler(
      FeatureRouter router, FeatureRegistry registry, ObjectMapper json, Clock clock, int maxRows) {
    this.router = router;
    this.registry = registry;
    this.json = json;
    this.clock = clock;
    this.maxRows = maxRows;
  }

  void getOne(Context ctx) {
    String view = ctx.pathParam("view");
    requireView(view);
    var request = new HashMap<String, Double>();
    ctx.queryParamMap()
        .forEach(
            // A parameter Javalin could not decode (e.g. a=%ZZ) comes with no value at all.
            (name, values) ->
                request.put(
                    name, number(values.isEmpty() ? "" : values.get(values.size() - 1), name)));
    FeatureVector v = router.lookup(view, ctx.pathParam("key"), clock.millis(), request);
    ctx.json(FeatureVectorJson.toMap(v));
  }

  void lookupMany(Context ctx) {
    JsonNode body =
        JsonBodies.object(
            json,
            ctx.bodyAsBytes(),
            "{\"view\": \"customer_churn\", \"keys\": [\"C-1\"]} or {\"view\": ..., \"rows\":"
                + " [{\"customer_id\": \"C-1\", \"amount\": 250.0}]}");
    JsonBodies.onlyFields(body, Set.of("view", "keys", "rows"), "POST /features/lookup");
    JsonNode viewNode = body.get("view");
    if (viewNode == null || !viewNode.isTextual()) {
      throw ApiException.invalidParameter("view must be the name of a feature view");
    }
    FeatureView view = requireView(viewNode.asText());
    List<LookupRow> rows = rows(body, view.keys());
    List<FeatureVector> vectors = router.lookupAll(view.name(), rows, clock.millis());
    var results = new ArrayList<Map<String, Object>>(vectors.size());
    vectors.forEach(v -> results.add(FeatureVectorJson.toMap(v)));
    ctx.json(Map.of("results", results));
  }

  /** A lookup forwarded by another node: answered from this node's replicas only. */
  void forwarded(Context ctx) {
    JsonNode body = JsonBodies.object(json, ctx.bodyAsBytes(), "a forwarded lookup");
    JsonNode view = body.get("view");
    JsonNode asOf = body.get("as_of");
    JsonNode rowsNode = body.get("rows");
    if (view == null
        || asOf == null
        || !asOf.canConvertToLong()
        || rowsNode == null
        || !rowsNode.isArray()) {
      throw ApiException.invalidParameter("A forwarded lookup has view, as_of and rows");
    }
    requireView(view.asText());
    var rows = new ArrayList<LookupRow>();
    for (JsonNode row : rowsNode) {
      var request = new HashMap<String, Double>();
      row.path("request")
          .properties()
          .forEach(e -> request.put(e.getKey(), e.getValue().asDouble()));
      rows.add(new LookupRow(row.path("key").asText(), request));
    }
    List<FeatureVector> vectors = router.serveLocally(view.asText(), rows, asOf.asLong());
    var out = new ArrayList<Map<String, Object>>(vectors.size());
    vectors.forEach(v -> out.add(FeatureVectorJson.toMap(v)));
    ctx.json(Map.of("vectors", out));
  }

  private FeatureView requireView(String name) {
    return registry
        .view(name)
        .orElseThrow(
            () ->
                new UnknownViewException(
                    name, registry.views().stream().map(FeatureView::name).toList()));
  }

  private List<LookupRow> rows(JsonNode body, List<String> keyFields) {
    JsonNode keys = body.get("keys");
    JsonNode rows = body.get("rows");
    if ((keys == null) == (rows == null)) {
      throw ApiException.invalidParameter(
          "Give either keys (a list of strings) or rows (a list of objects with "
              + String.join(" and ", keyFields)
              + ")");
    }
    JsonNode list = keys != null ? keys : rows;
    String name = keys != null ? "keys" : "rows";
    if (!list.isArray() || list.isEmpty()) {
      throw ApiException.invalidParameter(name + " must be a non-empty list");
    }
    if (list.size() > maxRows) {
      throw ApiException.invalidParameter(
          name + " has " + list.size() + " entries; at most " + maxRows + " per request");
    }
    var result = new ArrayList<LookupRow>(list.size());
    for (int i = 0; i < list.size(); i++) {
      JsonNode item = list.get(i);
      if (keys != null) {
        if (!item.isTextual() || item.asText().isEmpty()) {
          throw ApiException.invalidParameter("keys[" + i + "] must be a non-empty string");
        }
        result.add(LookupRow.of(item.asText()));
        continue;
      }
      if (!item.isObject()) {
        throw ApiException.invalidParameter(
            "rows[" + i + "] must be an object with " + String.join(" and ", keyFields));
      }
      String[] values = new String[keyFields.size()];
      for (int k = 0; k < values.length; k++) {
        JsonNode key = item.get(keyFields.get(k));
        // A whole-number id is a key as its digits, as the pipeline reads it from events.
        if (key == null || !(key.isTextual() || key.isIntegralNumber()) || key.asText().isEmpty()) {
          throw ApiException.invalidParameter(
              "rows[" + i + "] needs a non-empty string " + keyFields.get(k));
        }
        values[k] = key.asText();
      }
      var request = new HashMap<String, Double>();
      for (Map.Entry<String, JsonNode> field : item.properties()) {
        if (keyFields.contains(field.getKey())) {
          continue;
        }
        if (!field.getValue().isNumber()) {
          throw ApiException.invalidParameter(
              "rows["
                  + i
                  + "]."
                  + field.getKey()
                  + " must be a number (request fields feed on-demand features)");
        }
        request.put(field.getKey(), field.getValue().asDouble());
      }
      result.add(new LookupRow(EntityKey.of(values), request));
    }
    return result;
  }

  private static double number(String text, String name) {
    try {
      double v = Double.parseDouble(text);
      if (Double.isFinite(v)) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiException.invalidParameter(
        "Query parameter "
            + name
            + "='"
            + text
            + "' must be a finite number (request fields feed on-demand features)");
  }
}
