package dev.tessera.serving.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.serving.endpoint.EndpointConfig;
import dev.tessera.serving.retrain.CycleFaults;
import dev.tessera.serving.retrain.CycleReport;
import dev.tessera.serving.retrain.RetrainLoop;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.kafka.common.config.ConfigException;

/**
 * {@code POST /api/2.0/serving-endpoints/{name}/retrain[?dry_run=true][&format=text]}: one
 * retraining cycle of the endpoint's champion, run now on this node; answers the cycle's report
 * (decision, figures, every gate) once it has finished. An optional JSON body overrides {@code
 * retrain.*} settings for this cycle only.
 *
 * <pre>
 * curl -s -X POST 'http://127.0.0.1:8080/api/2.0/serving-endpoints/churn/retrain?dry_run=true' \
 *      -d '{"retrain.feature.service": "churn_v2"}'
 * </pre>
 */
public final class RetrainHandler implements ApiRoutes {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final RetrainLoop loop;

  public RetrainHandler(RetrainLoop loop) {
    this.loop = loop;
  }

  @Override
  public void register(Javalin app) {
    app.post("/api/2.0/serving-endpoints/{name}/retrain", this::retrain);
  }

  private void retrain(Context ctx) {
    String name = ctx.pathParam("name");
    if (!EndpointConfig.NAME.matcher(name).matches()) {
      throw ApiException.invalidParameter(EndpointConfig.invalidName(name));
    }
    boolean dryRun = flag(ctx, "dry_run");
    Map<String, String> overrides = overrides(ctx.body());
    CycleReport report;
    try {
      report = loop.runNow(name, dryRun, "rest", overrides, CycleFaults.NONE);
    } catch (ConfigException e) {
      throw ApiException.invalidParameter(e.getMessage());
    } catch (NoSuchElementException e) {
      throw ApiException.notFound(e.getMessage());
    } catch (IllegalStateException e) {
      throw new ApiException(409, "INVALID_STATE", e.getMessage(), null);
    }
    if ("text".equals(ctx.queryParam("format"))) {
      ctx.contentType("text/plain; charset=utf-8").result(report.toText());
    } else {
      ctx.json(report.toJson());
    }
  }

  /** The body: an optional JSON object of {@code retrain.*} settings for this cycle only. */
  private static Map<String, String> overrides(String body) {
    if (body == null || body.isBlank()) {
      return Map.of();
    }
    JsonNode node;
    try {
      node = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw ApiException.malformed("The body is not JSON: " + e.getOriginalMessage());
    }
    if (!node.isObject()) {
      throw ApiException.malformed(
          "The body is a JSON object of retrain.* settings, e.g. {\"retrain.params\": \"...\"}");
    }
    var overrides = new LinkedHashMap<String, String>();
    for (var field : node.properties()) {
      if (!field.getValue().isValueNode() || field.getValue().isNull()) {
        throw ApiException.invalidParameter(field.getKey() + " must be a string or a number");
      }
      overrides.put(field.getKey(), field.getValue().asText());
    }
    return overrides;
  }

  private static boolean flag(Context ctx, String name) {
    String value = ctx.queryParam(name);
    if (value == null || value.equals("false")) {
      return false;
    }
    if (value.equals("true") || value.isEmpty()) {
      return true;
    }
    throw ApiException.invalidParameter(name + " must be true or false, got '" + value + "'");
  }
}
