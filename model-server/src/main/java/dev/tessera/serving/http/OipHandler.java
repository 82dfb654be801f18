package dev.tessera.serving.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.serving.inference.InferenceService;
import dev.tessera.serving.inference.ModelInputs;
import dev.tessera.serving.inference.ScoredRow;
import dev.tessera.serving.metrics.InferenceMetrics;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Open Inference Protocol v2 (KServe, Triton): health, model metadata and readiness, and {@code
 * POST /v2/models/{name}/infer}, where {@code name} is the endpoint name (e.g. {@code churn}).
 * Errors are {@code {"error": "..."}} (see {@link ErrorMapper}).
 *
 * <pre>
 * curl -s localhost:8080/v2/models/churn/infer -H 'Content-Type: application/json' -d \
 *   '{"id":"r-1","inputs":[{"name":"customer_id","datatype":"BYTES","shape":[1],"data":["C-1"]}]}'
 * </pre>
 */
final class OipHandler {
  /** Path prefix whose errors take the OIP shape. */
  static final String PREFIX = "/v2/";

  private final InferenceService inference;
  private final ObjectMapper json;
  private final NodeStatus status;
  private final int maxRows;
  private final InferenceMetrics metrics;

  OipHandler(
      InferenceService inference,
      ObjectMapper json,
      NodeStatus status,
      int maxRows,
      InferenceMetrics metrics) {
    this.inference = inference;
    this.json = json;
    this.status = status;
    this.maxRows = maxRows;
    this.metrics = metrics;
  }

  void register(Javalin app) {
    app.get("/v2/health/live", ctx -> ctx.json(Map.of("live", true)));
    app.get(
        "/v2/health/ready",
        ctx -> {
          boolean ready = ready();
          ctx.status(ready ? 200 : 503).json(Map.of("ready", ready));
        });
    app.get("/v2/models/{name}", this::metadata);
    app.get("/v2/models/{name}/ready", this::modelReady);
    app.post("/v2/models/{name}/infer", this::infer);
  }

  private boolean ready() {
    return status.ready();
  }

  private void metadata(Context ctx) {
    String name = ctx.pathParam("name");
    ModelInputs model = inference.inputs(name);
    var body = new LinkedHashMap<String, Object>();
    body.put("name", name);
    body.put("versions", List.of(model.modelVersion()));
    body.put("platform", "onnx");
    var inputs = new ArrayList<Map<String, Object>>();
    model.entityKeyFields().forEach(k -> inputs.add(tensor(k, "BYTES", List.of(-1))));
    inputs.add(tensor(OipRequests.FEATURES, "FP32", List.of(-1, model.width())));
    body.put("inputs", inputs);
    body.put(
        "outputs",
        List.of(tensor("probability", "FP64", List.of(-1)), tensor("label", "INT64", List.of(-1))));
    body.put(
        "parameters",
        Map.of(
            "served_model",
            model.servedModel(),
            "model_name",
            model.modelName(),
            "feature_columns",
            model.columns(),
            "inputs_rule",
            "give either '"
                + model.entityKeyField()
                + "' (plus optional numeric request-field tensors) or '"
                + OipRequests.FEATURES
                + "'"));
    ctx.json(body);
  }

  private void modelReady(Context ctx) {
    String name = ctx.pathParam("name");
    inference.inputs(name); // 404 for an unknown model
    boolean ready = status.featuresReady();
    ctx.status(ready ? 200 : 503).json(Map.of("name", name, "ready", ready));
  }

  private void infer(Context ctx) {
    String name = ctx.pathParam("name");
    ModelInputs model = inference.inputs(name);
    var request =
        OipRequests.parse(
            JsonBodies.object(json, ctx.bodyAsBytes(), OipRequests.EXPECTED), model, maxRows);
    long started = System.nanoTime();
    List<ScoredRow> rows = inference.invoke(name, request.rows(), request.clientRequestId());
    metrics.observe(name, rows, System.nanoTime() - started);
    double[] probability = new double[rows.size()];
    long[] label = new long[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      probability[i] = rows.get(i).probability();
      label[i] = rows.get(i).label();
    }
    ScoredRow first = rows.get(0);
    var body = new LinkedHashMap<String, Object>();
    body.put("model_name", name);
    body.put("model_version", first.modelVersion());
    if (request.clientRequestId() != null) {
      body.put("id", request.clientRequestId());
    }
    body.put("parameters", Map.of("served_model", first.servedModel()));
    body.put(
        "outputs",
        List.of(
            output("probability", "FP64", rows.size(), probability),
            output("label", "INT64", rows.size(), label)));
    ctx.json(body);
  }

  private static Map<String, Object> tensor(String name, String datatype, List<Integer> shape) {
    var t = new LinkedHashMap<String, Object>();
    t.put("name", name);
    t.put("datatype", datatype);
    t.put("shape", shape);
    return t;
  }

  private static Map<String, Object> output(String name, String datatype, int n, Object data) {
    var t = new LinkedHashMap<String, Object>();
    t.put("name", name);
    t.put("datatype", datatype);
    t.put("shape", List.of(n));
    t.put("data", data);
    return t;
  }
}
