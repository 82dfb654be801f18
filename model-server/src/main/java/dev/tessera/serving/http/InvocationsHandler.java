package dev.tessera.serving.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.features.definition.EntityKey;
import dev.tessera.serving.inference.InferenceService;
import dev.tessera.serving.inference.ModelInputs;
import dev.tessera.serving.inference.ScoredRow;
import dev.tessera.serving.metrics.InferenceMetrics;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /serving-endpoints/{name}/invocations} with MLflow's formats ({@code
 * dataframe_records}, {@code dataframe_split}, {@code instances}, {@code inputs}, see {@link
 * MlflowRequests}): rows carry a lookup key (and request fields) or a full feature vector.
 *
 * <pre>
 * curl -s localhost:8080/serving-endpoints/churn/invocations \
 *   -H 'Content-Type: application/json' -d '{"dataframe_records":[{"customer_id":"C-1"}]}'
 * </pre>
 *
 * Every format answers {@code {"predictions": [{customer_id, probability, label, served_model,
 * model_name, model_version, features_found}], "client_request_id"}}, {@code served_model} being
 * the served entity that scored the row: the one its key's bucket routes to, or the one pinned by
 * {@code /serving-endpoints/{name}/served-models/{entity}/invocations}; a full-vector row has no
 * {@code features_found} and its key only if it gave one.
 */
final class InvocationsHandler implements Handler {
  private final InferenceService inference;
  private final ObjectMapper json;
  private final int maxRows;
  private final InferenceMetrics metrics;

  InvocationsHandler(
      InferenceService inference, ObjectMapper json, int maxRows, InferenceMetrics metrics) {
    this.inference = inference;
    this.json = json;
    this.maxRows = maxRows;
    this.metrics = metrics;
  }

  @Override
  public void handle(Context ctx) {
    String endpoint = ctx.pathParam("name");
    // Pinned: /serving-endpoints/{name}/served-models/{entity}/invocations
    String pinned = ctx.pathParamMap().get("entity");
    ModelInputs model = inference.inputs(endpoint, pinned);
    var request =
        MlflowRequests.parse(
            JsonBodies.object(json, ctx.bodyAsBytes(), MlflowRequests.EXPECTED), model, maxRows);
    long started = System.nanoTime();
    List<ScoredRow> rows =
        inference.invoke(endpoint, pinned, request.rows(), request.clientRequestId());
    metrics.observe(endpoint, rows, System.nanoTime() - started);
    List<String> keyFields = model.entityKeyFields();
    List<Map<String, Object>> predictions = new ArrayList<>(rows.size());
    for (ScoredRow row : rows) {
      var out = new LinkedHashMap<String, Object>();
      if (row.entityKey() != null) {
        List<String> values = EntityKey.split(row.entityKey(), keyFields.size());
        for (int k = 0; k < keyFields.size(); k++) {
          out.put(keyFields.get(k), values.get(k));
        }
      }
      out.put("probability", row.probability());
      out.put("label", row.label());
      out.put("served_model", row.servedModel());
      out.put("model_name", row.modelName());
      out.put("model_version", row.modelVersion());
      if (row.lookedUp()) {
        out.put("features_found", row.featuresFound());
      }
      predictions.add(out);
    }
    var response = new LinkedHashMap<String, Object>();
    response.put("predictions", predictions);
    if (request.clientRequestId() != null) {
      response.put("client_request_id", request.clientRequestId());
    }
    ctx.json(response);
  }
}
