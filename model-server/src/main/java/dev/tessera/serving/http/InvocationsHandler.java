package dev.tessera.serving.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.serving.inference.InferenceService;
import dev.tessera.serving.inference.ScoredRow;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /serving-endpoints/{name}/invocations} with MLflow's {@code dataframe_records}: each
 * record carries the lookup key; features come from the online store.
 *
 * <pre>
 * curl -s localhost:8080/serving-endpoints/churn/invocations \
 *   -H 'Content-Type: application/json' -d '{"dataframe_records":[{"customer_id":"C-1"}]}'
 * </pre>
 */
final class InvocationsHandler implements Handler {
  private final InferenceService inference;
  private final ObjectMapper json;
  private final int maxRows;

  InvocationsHandler(InferenceService inference, ObjectMapper json, int maxRows) {
    this.inference = inference;
    this.json = json;
    this.maxRows = maxRows;
  }

  @Override
  public void handle(Context ctx) {
    String endpoint = ctx.pathParam("name");
    String keyField = inference.entityKeyField(endpoint);
    JsonNode body =
        JsonBodies.object(
            json, ctx.bodyAsBytes(), "{\"dataframe_records\": [{\"customer_id\": \"...\"}]}");
    List<String> keys = keys(body, keyField);
    JsonNode clientId = body.get("client_request_id");
    if (clientId != null && !clientId.isTextual()) {
      throw ApiException.invalidParameter("client_request_id must be a string");
    }
    List<ScoredRow> rows =
        inference.invoke(endpoint, keys, clientId == null ? null : clientId.asText());
    List<Map<String, Object>> predictions = new ArrayList<>(rows.size());
    for (ScoredRow row : rows) {
      var out = new LinkedHashMap<String, Object>();
      out.put(keyField, row.entityKey());
      out.put("probability", row.probability());
      out.put("label", row.label());
      out.put("served_model", row.servedModel());
      out.put("model_version", row.modelVersion());
      out.put("features_found", row.featuresFound());
      predictions.add(out);
    }
    var response = new LinkedHashMap<String, Object>();
    response.put("predictions", predictions);
    if (clientId != null) {
      response.put("client_request_id", clientId.asText());
    }
    ctx.json(response);
  }

  private List<String> keys(JsonNode body, String keyField) {
    JsonBodies.onlyFields(body, Set.of("dataframe_records", "client_request_id"), "this endpoint");
    JsonNode records = body.get("dataframe_records");
    if (records == null || !records.isArray()) {
      throw ApiException.malformed(
          "Expected dataframe_records: a list of records like {\"" + keyField + "\": \"C-1\"}");
    }
    if (records.isEmpty()) {
      throw ApiException.invalidParameter("dataframe_records is empty");
    }
    if (records.size() > maxRows) {
      throw ApiException.invalidParameter(
          "dataframe_records has " + records.size() + " rows; at most " + maxRows + " per request");
    }
    List<String> keys = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      JsonNode record = records.get(i);
      JsonNode key = record.isObject() ? record.get(keyField) : null;
      if (key == null || !key.isTextual() || key.asText().isEmpty()) {
        throw ApiException.invalidParameter(
            "dataframe_records[" + i + "] needs a non-empty string " + keyField);
      }
      keys.add(key.asText());
    }
    return keys;
  }
}
