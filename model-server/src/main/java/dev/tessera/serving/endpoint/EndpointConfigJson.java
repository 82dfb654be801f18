package dev.tessera.serving.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.serving.endpoint.TrafficSplit.Route;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Endpoint configs in Databricks' JSON shape, read with messages naming the bad field:
 *
 * <pre>{@code
 * {"served_entities": [
 *    {"name": "champion", "entity_name": "churn", "alias": "champion"},
 *    {"name": "challenger", "entity_name": "churn", "entity_version": "2"},
 *    {"name": "shadow", "entity_name": "churn", "entity_version": "3", "shadow": true}],
 *  "traffic_config": {"routes": [
 *    {"served_model_name": "champion", "traffic_percentage": 90},
 *    {"served_model_name": "challenger", "traffic_percentage": 10}]}}
 * }</pre>
 *
 * <p>{@code alias} and {@code shadow} are Tessera's additions; {@code served_entity_name} is read
 * as a synonym of {@code served_model_name}.
 */
public final class EndpointConfigJson {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> CONFIG_FIELDS =
      Set.of("served_entities", "traffic_config", "salt", "guardrails");
  private static final Set<String> GUARDRAIL_FIELDS =
      Set.of(
          "max_error_rate_increase",
          "max_latency_p99_ratio",
          "max_auc_drop",
          "min_predictions",
          "min_labelled",
          "auto_rollback");
  private static final Set<String> ENTITY_FIELDS =
      Set.of("name", "entity_name", "entity_version", "alias", "shadow");
  private static final Set<String> ROUTE_FIELDS =
      Set.of("served_model_name", "served_entity_name", "traffic_percentage");

  private EndpointConfigJson() {}

  /**
   * The config of endpoint {@code name} from its JSON.
   *
   * @throws IllegalArgumentException naming the field that is missing, unknown or of a wrong type
   */
  public static EndpointConfig parse(String name, JsonNode config) {
    object(config, "config");
    only(config, CONFIG_FIELDS, "config");
    var entities = new ArrayList<ServedEntity>();
    JsonNode list = array(config.get("served_entities"), "served_entities");
    for (int i = 0; i < list.size(); i++) {
      entities.add(entity(list.get(i), "served_entities[" + i + "]"));
    }
    JsonNode traffic = config.get("traffic_config");
    var routes = new ArrayList<Route>();
    if (traffic == null || traffic.isNull()) {
      // One entity and no routes: all traffic to it, as Databricks does.
      List<ServedEntity> live = entities.stream().filter(e -> !e.shadow()).toList();
      if (live.size() != 1) {
        throw new IllegalArgumentException(
            "traffic_config is required when more than one served entity takes traffic");
      }
      routes.add(new Route(live.get(0).name(), 100));
    } else {
      object(traffic, "traffic_config");
      only(traffic, Set.of("routes"), "traffic_config");
      JsonNode rs = array(traffic.get("routes"), "traffic_config.routes");
      for (int i = 0; i < rs.size(); i++) {
        routes.add(route(rs.get(i), "traffic_config.routes[" + i + "]"));
      }
    }
    JsonNode salt = config.get("salt");
    return new EndpointConfig(
        name,
        entities,
        routes,
        salt == null ? null : text(salt, "salt"),
        guardrails(config.get("guardrails")));
  }

  private static Guardrails guardrails(JsonNode node) {
    Guardrails d = Guardrails.defaults();
    if (node == null || node.isNull()) {
      return d;
    }
    object(node, "guardrails");
    only(node, GUARDRAIL_FIELDS, "guardrails");
    JsonNode auto = node.get("auto_rollback");
    if (auto != null && !auto.isBoolean()) {
      throw new IllegalArgumentException("guardrails.auto_rollback must be true or false");
    }
    return new Guardrails(
        number(node, "max_error_rate_increase", d.maxErrorRateIncrease()),
        number(node, "max_latency_p99_ratio", d.maxLatencyP99Ratio()),
        number(node, "max_auc_drop", d.maxAucDrop()),
        (long) number(node, "min_predictions", d.minPredictions()),
        (long) number(node, "min_labelled", d.minLabelled()),
        auto == null ? d.autoRollback() : auto.asBoolean());
  }

  private static double number(JsonNode node, String field, double fallback) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isNumber()) {
      throw new IllegalArgumentException("guardrails." + field + " must be a number, got " + value);
    }
    return value.asDouble();
  }

  private static ServedEntity entity(JsonNode node, String at) {
    object(node, at);
    only(node, ENTITY_FIELDS, at);
    String name = text(required(node, "name", at), at + ".name");
    String model = text(required(node, "entity_name", at), at + ".entity_name");
    JsonNode version = node.get("entity_version");
    JsonNode alias = node.get("alias");
    JsonNode shadow = node.get("shadow");
    if (shadow != null && !shadow.isBoolean()) {
      throw new IllegalArgumentException(at + ".shadow must be true or false");
    }
    return new ServedEntity(
        name,
        model,
        version == null ? null : version(version, at + ".entity_version"),
        alias == null ? null : text(alias, at + ".alias"),
        shadow != null && shadow.asBoolean());
  }

  private static Route route(JsonNode node, String at) {
    object(node, at);
    only(node, ROUTE_FIELDS, at);
    JsonNode name =
        node.has("served_model_name")
            ? node.get("served_model_name")
            : node.get("served_entity_name");
    if (name == null) {
      throw new IllegalArgumentException(at + " needs served_model_name");
    }
    JsonNode pct = required(node, "traffic_percentage", at);
    if (!pct.isIntegralNumber()) {
      throw new IllegalArgumentException(at + ".traffic_percentage must be a whole number");
    }
    return new Route(text(name, at + ".served_model_name"), pct.asInt());
  }

  /** JSON text as a tree, for configs kept as text (e.g. in an audit entry). */
  public static JsonNode read(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new IllegalArgumentException("Not a JSON config: " + e.getMessage(), e);
    }
  }

  /** The config as JSON, in the shape {@link #parse} reads. */
  public static ObjectNode toJson(EndpointConfig config) {
    ObjectNode out = JSON.createObjectNode();
    ArrayNode entities = out.putArray("served_entities");
    for (ServedEntity e : config.entities()) {
      ObjectNode n = entities.addObject().put("name", e.name()).put("entity_name", e.model());
      if (e.version() != null) {
        n.put("entity_version", Integer.toString(e.version()));
      } else {
        n.put("alias", e.alias());
      }
      if (e.shadow()) {
        n.put("shadow", true);
      }
    }
    ArrayNode routes = out.putObject("traffic_config").putArray("routes");
    for (Route r : config.routes()) {
      routes
          .addObject()
          .put("served_model_name", r.servedModelName())
          .put("traffic_percentage", r.trafficPercentage());
    }
    out.put("salt", config.salt());
    Guardrails g = config.guardrails();
    out.putObject("guardrails")
        .put("max_error_rate_increase", g.maxErrorRateIncrease())
        .put("max_latency_p99_ratio", g.maxLatencyP99Ratio())
        .put("max_auc_drop", g.maxAucDrop())
        .put("min_predictions", g.minPredictions())
        .put("min_labelled", g.minLabelled())
        .put("auto_rollback", g.autoRollback());
    return out;
  }

  private static int version(JsonNode node, String at) {
    String text = node.isTextual() ? node.asText() : node.isIntegralNumber() ? node.asText() : null;
    if (text == null || !text.matches("[1-9][0-9]{0,8}")) {
      throw new IllegalArgumentException(
          at + " must be a version number such as \"2\", got " + node);
    }
    return Integer.parseInt(text);
  }

  private static JsonNode required(JsonNode node, String field, String at) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException(at + " needs " + field);
    }
    return value;
  }

  private static String text(JsonNode node, String at) {
    if (!node.isTextual()) {
      throw new IllegalArgumentException(at + " must be a string, got " + node);
    }
    return node.asText();
  }

  private static void object(JsonNode node, String at) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(at + " must be a JSON object");
    }
  }

  private static JsonNode array(JsonNode node, String at) {
    if (node == null || !node.isArray()) {
      throw new IllegalArgumentException(at + " must be a list");
    }
    return node;
  }

  private static void only(JsonNode node, Set<String> allowed, String at) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!allowed.contains(field)) {
        throw new IllegalArgumentException(
            at
                + " has unknown field "
                + field
                + "; allowed: "
                + allowed.stream().sorted().toList());
      }
    }
  }
}
