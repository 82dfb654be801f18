package dev.tessera.serving.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.serving.drift.DriftMonitor;
import dev.tessera.serving.drift.ModelDrift;
import dev.tessera.serving.endpoint.AuditEntry;
import dev.tessera.serving.endpoint.EndpointConfig;
import dev.tessera.serving.endpoint.EndpointConfigJson;
import dev.tessera.serving.endpoint.EndpointOperations;
import dev.tessera.serving.endpoint.EndpointStore;
import dev.tessera.serving.endpoint.EndpointWriter;
import dev.tessera.serving.experiment.ClusterExperiments;
import dev.tessera.serving.experiment.ExperimentReport;
import dev.tessera.serving.experiment.GuardrailCheck;
import dev.tessera.serving.experiment.VariantStats;
import dev.tessera.serving.inference.InferenceService;
import dev.tessera.serving.inference.RoutedEndpoint;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.ConcurrentModificationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/**
 * Serving endpoint management, shaped like Databricks' serving-endpoints API 2.0: create, replace,
 * read, list and delete endpoint configs (stored on the endpoints topic, versioned, audited), the
 * experiment report, and promote / rollback. See docs/API.md.
 *
 * <pre>
 * curl -X PUT localhost:8080/api/2.0/serving-endpoints/churn -d '{"config": {...}}'
 * curl localhost:8080/api/2.0/serving-endpoints/churn/experiment?format=text
 * curl -X POST localhost:8080/api/2.0/serving-endpoints/churn/promote
 * </pre>
 */
public final class EndpointsHandler implements ApiRoutes {
  static final String PREFIX = "/api/2.0/serving-endpoints";

  /** Route of a node's raw experiment entries, read by the other nodes. */
  public static final String PEER_EXPERIMENT_PATH = "/internal/experiment-entries";

  private static final String EXAMPLE =
      "{\"config\": {\"served_entities\": [{\"name\": \"champion\", \"entity_name\": \"churn\","
          + " \"alias\": \"champion\"}]}}";

  private final EndpointStore store;
  private final EndpointWriter writer;
  private final EndpointOperations operations;
  private final InferenceService inference;
  private final EndpointConfig seedConfig;
  private final ClusterExperiments experiments;
  private volatile DriftMonitor drift;
  private final ObjectMapper json = new ObjectMapper();

  /**
   * @param seedConfig the config the seed endpoint serves while none is stored for it, or null
   * @param experiments the cluster's experiment figures, or null when the job does not run here
   */
  public EndpointsHandler(
      EndpointStore store,
      EndpointWriter writer,
      EndpointOperations operations,
      InferenceService inference,
      EndpointConfig seedConfig,
      ClusterExperiments experiments) {
    this.store = store;
    this.writer = writer;
    this.operations = operations;
    this.inference = inference;
    this.seedConfig = seedConfig;
    this.experiments = experiments;
  }

  @Override
  public void register(Javalin app) {
    app.get(PREFIX, this::list);
    app.post(PREFIX, this::create);
    app.get(PREFIX + "/{name}", this::get);
    app.put(PREFIX + "/{name}", this::put);
    app.put(PREFIX + "/{name}/config", this::putConfig);
    app.delete(PREFIX + "/{name}", this::delete);
    app.get(PREFIX + "/{name}/experiment", this::experiment);
    app.post(PREFIX + "/{name}/promote", ctx -> act(ctx, true));
    app.post(PREFIX + "/{name}/rollback", ctx -> act(ctx, false));
    app.get(PEER_EXPERIMENT_PATH, this::peerEntries);
  }

  private void list(Context ctx) {
    ArrayNode list = json.createArrayNode();
    for (String name : names()) {
      list.add(describe(name));
    }
    ctx.json(json.createObjectNode().set("endpoints", list));
  }

  private List<String> names() {
    var names = new TreeSet<String>();
    store.all().forEach(v -> names.add(v.config().name()));
    names.addAll(inference.endpointNames());
    return List.copyOf(names);
  }

  private void create(Context ctx) {
    JsonNode body =
        JsonBodies.object(json, ctx.bodyAsBytes(), "{\"name\": \"churn\", \"config\": {...}}");
    JsonBodies.onlyFields(body, Set.of("name", "config"), "serving-endpoints create");
    JsonNode name = body.get("name");
    if (name == null || !name.isTextual()) {
      throw ApiException.invalidParameter("serving-endpoints create needs a string field name");
    }
    if (store.get(name.asText()).isPresent()) {
      throw new ApiException(
          400, "RESOURCE_ALREADY_EXISTS", "Endpoint " + name.asText() + " already exists", null);
    }
    store(ctx, name.asText(), body.get("config"));
  }

  /** The {name} path parameter; a name no endpoint can have (e.g. with '/' or '..') is a 400. */
  private static String endpointName(Context ctx) {
    String name = ctx.pathParam("name");
    if (!EndpointConfig.NAME.matcher(name).matches()) {
      throw ApiException.invalidParameter(EndpointConfig.invalidName(name));
    }
    return name;
  }

  private void put(Context ctx) {
    String name = endpointName(ctx);
    JsonNode body = JsonBodies.object(json, ctx.bodyAsBytes(), EXAMPLE);
    JsonBodies.onlyFields(body, Set.of("name", "config"), "PUT serving-endpoints/" + name);
    if (body.has("name") && !name.equals(body.get("name").asText())) {
      throw ApiException.invalidParameter(
          "Body names endpoint " + body.get("name") + " but the path names " + name);
    }
    store(ctx, name, body.get("config"));
  }

  private void putConfig(Context ctx) {
    String name = endpointName(ctx);
    if (store.get(name).isEmpty()) {
      throw ApiException.notFound(
          "Endpoint " + name + " has no stored config; create it with PUT " + PREFIX + "/" + name);
    }
    store(ctx, name, JsonBodies.object(json, ctx.bodyAsBytes(), "{\"served_entities\": [...]}"));
  }

  private void store(Context ctx, String name, JsonNode configJson) {
    if (configJson == null) {
      throw ApiException.invalidParameter("Missing config; expected " + EXAMPLE);
    }
    EndpointConfig config;
    try {
      config = EndpointConfigJson.parse(name, configJson);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidParameter(e.getMessage());
    }
    try {
      writer.put(
          config,
          operations.registryView(),
          EndpointWriter.Request.of("rest", "config stored over the REST API"));
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidParameter(e.getMessage());
    }
    ctx.json(describe(name));
  }

  private void delete(Context ctx) {
    String name = endpointName(ctx);
    try {
      writer.delete(name, EndpointWriter.Request.of("rest", "deleted over the REST API"));
    } catch (IllegalArgumentException e) {
      throw ApiException.notFound(e.getMessage());
    }
    ctx.json(Map.of());
  }

  private void get(Context ctx) {
    String name = endpointName(ctx);
    if (!names().contains(name)) {
      throw ApiException.notFound("Endpoint " + name + " does not exist; endpoints: " + names());
    }
    ctx.json(describe(name));
  }

  /** The stored config (or the seed default), what this node serves of it, and its last events. */
  private ObjectNode describe(String name) {
    ObjectNode out = json.createObjectNode();
    out.put("name", name);
    Optional<EndpointStore.Versioned> stored = store.get(name);
    EndpointConfig config = configOf(name);
    out.put("config_version", stored.map(EndpointStore.Versioned::version).orElse(0L));
    out.put("stored", stored.isPresent());
    stored.ifPresent(v -> out.put("updated_at", v.updatedAt().toString()));
    if (config != null) {
      out.set("config", EndpointConfigJson.toJson(config));
    }
    Optional<RoutedEndpoint> served = inference.endpoint(name);
    ObjectNode state = out.putObject("state");
    long expected = stored.map(EndpointStore.Versioned::version).orElse(0L);
    boolean current = served.map(e -> e.configVersion() == expected).orElse(false);
    boolean ready = served.map(e -> e.unavailable().isEmpty()).orElse(false);
    state.put("ready", ready ? "READY" : "NOT_READY");
    state.put("config_update", current ? "NOT_UPDATING" : "IN_PROGRESS");
    served.ifPresent(
        e -> {
          ObjectNode here = out.putObject("served_here");
          here.put("config_version", e.configVersion());
          here.put("experiment_id", e.experimentId());
          ArrayNode entities = here.putArray("served_entities");
          e.slots()
              .forEach(
                  (entity, slot) -> {
                    ObjectNode n = entities.addObject();
                    n.put("name", entity);
                    var model = slot.model();
                    n.put("model_name", model.modelName());
                    n.put("model_version", model.version());
                    n.put("state", "READY");
                  });
          e.unavailable()
              .forEach(
                  (entity, why) ->
                      entities
                          .addObject()
                          .put("name", entity)
                          .put("state", "NOT_READY")
                          .put("reason", why));
        });
    ArrayNode events = out.putArray("events");
    List<AuditEntry> audit = store.audit(name);
    audit
        .subList(Math.max(0, audit.size() - 20), audit.size())
        .forEach(a -> events.add(a.toJson()));
    return out;
  }

  private EndpointConfig configOf(String name) {
    return store
        .get(name)
        .map(EndpointStore.Versioned::config)
        .orElse(seedConfig != null && name.equals(seedConfig.name()) ? seedConfig : null);
  }

  private void experiment(Context ctx) {
    String name = endpointName(ctx);
    EndpointConfig config = configOf(name);
    RoutedEndpoint served = inference.endpoint(name).orElse(null);
    if (config == null || served == null) {
      throw ApiException.notFound("Endpoint " + name + " does not exist; endpoints: " + names());
    }
    if (experiments == null) {
      throw ApiException.unavailable("The evaluation job does not run on this node", 5);
    }
    String id = Optional.ofNullable(ctx.queryParam("experiment_id")).orElse(served.experimentId());
    if (!id.startsWith(name + ":") && !id.equals(name)) {
      throw ApiException.invalidParameter(
          "experiment_id " + id + " is not an experiment of endpoint " + name);
    }
    Map<String, VariantStats> stats;
    try {
      stats = experiments.variants(id);
    } catch (InvalidStateStoreException e) {
      throw ApiException.unavailable(
          "The evaluation job is not queryable yet (starting or rebalancing): " + e.getMessage(),
          1);
    }
    ExperimentReport report = ExperimentReport.of(id, config, stats).withDrift(drift(served));
    Optional<GuardrailCheck.Breach> breach =
        config
            .challenger()
            .flatMap(
                c ->
                    GuardrailCheck.check(
                        stats.get(config.champion()), stats.get(c), config.guardrails()));
    List<AuditEntry> audit = store.audit(name);
    if ("text".equals(ctx.queryParam("format"))) {
      var text = new StringBuilder(report.toText());
      text.append("Guardrails: ")
          .append(breach.map(b -> "BROKEN: " + b.reason()).orElse("ok"))
          .append('\n');
      List<AuditEntry> decisions =
          audit.stream()
              .filter(
                  a ->
                      a.action() != AuditEntry.Action.UPDATE
                          && a.action() != AuditEntry.Action.CREATE)
              .toList();
      decisions
          .subList(Math.max(0, decisions.size() - 5), decisions.size())
          .forEach(
              a ->
                  text.append(a.at())
                      .append(' ')
                      .append(a.action())
                      .append(": ")
                      .append(a.reason())
                      .append('\n'));
      ctx.contentType("text/plain").result(text.toString());
      return;
    }
    ObjectNode out = json.createObjectNode();
    out.put("endpoint", name);
    out.put("experiment_id", id);
    out.put("config_version", served.configVersion());
    out.set("report", report.toJsonTree());
    ObjectNode guard = out.putObject("guardrails");
    guard.put("status", breach.isPresent() ? "broken" : "ok");
    breach.ifPresent(b -> guard.put("reason", b.reason()));
    ArrayNode events = out.putArray("events");
    audit
        .subList(Math.max(0, audit.size() - 20), audit.size())
        .forEach(a -> events.add(a.toJson()));
    ctx.json(out);
  }

  /** Each served entity's latest drift, by entity name; none without a drift monitor. */
  private Map<String, ModelDrift> drift(RoutedEndpoint served) {
    var byEntity = new LinkedHashMap<String, ModelDrift>();
    if (drift != null) {
      served
          .slots()
          .forEach(
              (entity, slot) ->
                  drift
                      .latest(slot.model().modelName(), slot.model().version())
                      .ifPresent(d -> byEntity.put(entity, d)));
    }
    return byEntity;
  }

  /** Adds each variant's drift status to the experiment report. */
  public EndpointsHandler withDrift(DriftMonitor monitor) {
    this.drift = monitor;
    return this;
  }

  private void act(Context ctx, boolean promote) {
    String name = endpointName(ctx);
    try {
      EndpointStore.Versioned v =
          promote ? operations.promote(name, "rest") : operations.rollback(name, "rest");
      ctx.json(describe(v.config().name()));
    } catch (IllegalStateException | ConcurrentModificationException e) {
      throw new ApiException(409, "INVALID_STATE", e.getMessage(), null);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidParameter(e.getMessage());
    }
  }

  /** This node's raw entries of one experiment: [{"k": base64, "v": base64}, ...]. */
  private void peerEntries(Context ctx) {
    if (experiments == null) {
      throw ApiException.unavailable("The evaluation job does not run on this node", 5);
    }
    String id = ctx.queryParam("experiment_id");
    if (id == null) {
      throw ApiException.invalidParameter("experiment_id is required");
    }
    ArrayNode out = json.createArrayNode();
    try {
      for (KeyValue<String, byte[]> e : experiments.localEntries(id)) {
        out.addObject()
            .put("k", Base64.getEncoder().encodeToString(e.key.getBytes(StandardCharsets.UTF_8)))
            .put("v", Base64.getEncoder().encodeToString(e.value));
      }
    } catch (InvalidStateStoreException e) {
      throw ApiException.unavailable("The evaluation job is not queryable yet", 1);
    }
    ctx.json(out);
  }
}
