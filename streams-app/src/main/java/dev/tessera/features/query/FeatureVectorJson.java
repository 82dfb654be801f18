package dev.tessera.features.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.features.aggregate.Partials;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of a {@link FeatureVector}, as the lookup API returns it and as nodes exchange it
 * when they forward lookups.
 *
 * <pre>{@code
 * {"view":"customer_churn","key":"C-1","found":true,"as_of":"2026-11-22T10:00:00Z",
 *  "served_by":"127.0.0.1:8080","store_lag":0,
 *  "features":{"total_orders":{"value":3.0,"event_time":"2026-11-22T09:00:00Z"}}}
 * }</pre>
 */
public final class FeatureVectorJson {
  private FeatureVectorJson() {}

  public static Map<String, Object> toMap(FeatureVector v) {
    var features = new LinkedHashMap<String, Object>();
    for (int i = 0; i < v.names().size(); i++) {
      var feature = new LinkedHashMap<String, Object>();
      feature.put("value", v.values()[i]);
      long t = v.eventTimes()[i];
      feature.put("event_time", t == Partials.NO_EVENT ? null : Instant.ofEpochMilli(t).toString());
      features.put(v.names().get(i), feature);
    }
    var body = new LinkedHashMap<String, Object>();
    body.put("view", v.view());
    body.put("key", v.key());
    body.put("found", v.found());
    body.put("as_of", Instant.ofEpochMilli(v.asOf()).toString());
    body.put("served_by", v.servedBy());
    body.put("store_lag", v.storeLag());
    body.put("features", features);
    return body;
  }

  /** Reads {@link #toMap}'s form back; throws IllegalArgumentException when it does not fit. */
  public static FeatureVector fromJson(JsonNode node) {
    try {
      JsonNode features = node.get("features");
      var names = new ArrayList<String>();
      List<Double> values = new ArrayList<>();
      List<Long> times = new ArrayList<>();
      for (Map.Entry<String, JsonNode> f : features.properties()) {
        names.add(f.getKey());
        values.add(f.getValue().get("value").asDouble());
        JsonNode t = f.getValue().get("event_time");
        times.add(
            t == null || t.isNull() ? Partials.NO_EVENT : Instant.parse(t.asText()).toEpochMilli());
      }
      return new FeatureVector(
          node.get("view").asText(),
          node.get("key").asText(),
          Instant.parse(node.get("as_of").asText()).toEpochMilli(),
          node.get("found").asBoolean(),
          List.copyOf(names),
          values.stream().mapToDouble(Double::doubleValue).toArray(),
          times.stream().mapToLong(Long::longValue).toArray(),
          node.get("store_lag").asLong(),
          node.get("served_by").asText());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("Not a feature vector: " + e.getMessage(), e);
    }
  }
}
