package dev.tessera.serving.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.serving.drift.DriftJson;
import dev.tessera.serving.drift.DriftMonitor;
import dev.tessera.serving.drift.DriftSettings;
import dev.tessera.serving.drift.DriftStatus;
import dev.tessera.serving.endpoint.ServedModel;
import dev.tessera.serving.inference.InferenceService;
import dev.tessera.serving.inference.ModelSlot;
import dev.tessera.serving.inference.RoutedEndpoint;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Map;

/**
 * {@code GET /api/2.0/serving-endpoints/{name}/drift}: for each served entity of an endpoint, the
 * drift monitor's latest figures of the model version it serves now (docs/API.md).
 *
 * <pre>
 * curl localhost:8080/api/2.0/serving-endpoints/churn/drift
 * </pre>
 */
public final class DriftHandler implements ApiRoutes {
  private final InferenceService inference;
  private final DriftMonitor monitor;

  public DriftHandler(InferenceService inference, DriftMonitor monitor) {
    this.inference = inference;
    this.monitor = monitor;
  }

  @Override
  public void register(Javalin app) {
    app.get(EndpointsHandler.PREFIX + "/{name}/drift", this::drift);
  }

  private void drift(Context ctx) {
    String name = ctx.pathParam("name");
    RoutedEndpoint endpoint =
        inference
            .endpoint(name)
            .orElseThrow(
                () ->
                    ApiException.notFound(
                        "Endpoint "
                            + name
                            + " does not exist; endpoints: "
                            + inference.endpointNames()));
    DriftSettings s = monitor.settings();
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("endpoint", name);
    ObjectNode settings = out.putObject("settings");
    settings.put("check_interval_ms", s.interval().toMillis());
    settings.put("window_ms", s.window().toMillis());
    settings.put("min_rows", s.minRows());
    settings.put("psi_warn", s.psiWarn());
    settings.put("psi_alert", s.psiAlert());
    settings.put("missing_rate_max_increase", s.missingRateMaxIncrease());
    var entities = out.putArray("served_entities");
    for (Map.Entry<String, ModelSlot> e : endpoint.slots().entrySet()) {
      ServedModel model = e.getValue().model();
      ObjectNode entity = entities.addObject();
      entity.put("name", e.getKey());
      entity.put("model_name", model.modelName());
      entity.put("model_version", model.version());
      entity.set(
          "drift",
          monitor
              .latest(model.modelName(), model.version())
              .map(DriftJson::of)
              .orElseGet(() -> nothingServed(model)));
    }
    ctx.json(out);
  }

  /** A version that served no row in the last window checked, or before the first check. */
  private static ObjectNode nothingServed(ServedModel model) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("model_name", model.modelName());
    n.put("model_version", model.version());
    n.put("status", DriftStatus.INSUFFICIENT_DATA.label());
    n.put("rows", 0);
    return n;
  }
}
