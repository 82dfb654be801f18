package dev.tessera.serving.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.serving.registry.ModelRegistry;
import dev.tessera.serving.registry.ModelVersion;
import dev.tessera.serving.registry.NewVersion;
import dev.tessera.serving.registry.RegisteredModel;
import dev.tessera.serving.registry.RegistryRecord;
import dev.tessera.serving.registry.RegistryWriter;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The model registry routes, shaped like MLflow's model registry REST API 2.0 ({@code
 * /api/2.0/mlflow/...}): same paths, field names and error codes; versions are strings. One
 * difference: {@code model-versions/create} takes the ONNX bytes as base64 {@code artifact} (or a
 * {@code source} file under {@code registry.source.dir} on the node), not a {@code source} URI of
 * an artifact store. See docs/API.md.
 */
final class RegistryHandler {
  static final String PREFIX = "/api/2.0/mlflow";

  private final ModelRegistry registry;
  private final RegistryWriter writer;
  private final ObjectMapper json;
  private final Path sourceDir;

  RegistryHandler(
      ModelRegistry registry, RegistryWriter writer, ObjectMapper json, Path sourceDir) {
    this.registry = registry;
    this.writer = writer;
    this.json = json;
    this.sourceDir = sourceDir;
  }

  void register(Javalin app) {
    app.post(PREFIX + "/registered-models/create", this::createModel);
    app.get(PREFIX + "/registered-models/get", this::getModel);
    app.get(PREFIX + "/registered-models/search", this::searchModels);
    app.post(PREFIX + "/model-versions/create", this::createVersion);
    app.get(PREFIX + "/model-versions/get", this::getVersion);
    app.post(PREFIX + "/registered-models/alias", this::setAlias);
    app.delete(PREFIX + "/registered-models/alias", this::deleteAlias);
    app.get(PREFIX + "/registered-models/get-by-alias", this::getByAlias);
  }

  private void createModel(Context ctx) {
    JsonNode body = JsonBodies.object(json, ctx.bodyAsBytes(), "{\"name\": \"churn\"}");
    JsonBodies.onlyFields(body, Set.of("name", "description", "tags"), "registered-models/create");
    RegisteredModel model =
        writer.createModel(text(body, "name", true), text(body, "description", false));
    ctx.json(Map.of("registered_model", modelJson(model)));
  }

  private void getModel(Context ctx) {
    String name = query(ctx, "name");
    ctx.json(Map.of("registered_model", modelJson(requireModel(name))));
  }

  private void searchModels(Context ctx) {
    var models = new ArrayList<Object>();
    for (RegisteredModel model : registry.models()) {
      models.add(modelJson(model));
    }
    ctx.json(Map.of("registered_models", models));
  }

  private void createVersion(Context ctx) {
    JsonNode body =
        JsonBodies.object(
            json,
            ctx.bodyAsBytes(),
            "{\"name\": \"churn\", \"feature_service\": \"churn_v2\", \"artifact\": \"<base64"
                + " ONNX>\"}");
    JsonBodies.onlyFields(
        body,
        Set.of(
            "name",
            "feature_service",
            "description",
            "params",
            "metrics",
            "artifact",
            "source",
            "data_from",
            "data_to"),
        "model-versions/create");
    String name = text(body, "name", true);
    String artifactText = text(body, "artifact", false);
    String source = text(body, "source", false);
    if (artifactText.isEmpty() == source.isEmpty()) {
      throw ApiException.invalidParameter(
          "Give exactly one of 'artifact' (the ONNX bytes in base64) or 'source' (a file under"
              + " registry.source.dir on the node)");
    }
    byte[] artifact;
    if (!artifactText.isEmpty()) {
      try {
        artifact = Base64.getDecoder().decode(artifactText);
      } catch (IllegalArgumentException e) {
        throw ApiException.invalidParameter("'artifact' is not base64: " + e.getMessage());
      }
    } else {
      artifact = readSource(sourceDir, source);
    }
    ModelVersion version =
        writer.createVersion(
            new NewVersion(
                name,
                text(body, "feature_service", true),
                artifact,
                text(body, "description", false),
                params(body.get("params")),
                metrics(body.get("metrics")),
                nullableText(body, "data_from"),
                nullableText(body, "data_to"),
                source.isEmpty() ? "upload" : source,
                false));
    ctx.json(Map.of("model_version", versionJson(version)));
  }

  private void getVersion(Context ctx) {
    String name = query(ctx, "name");
    String number = query(ctx, "version");
    requireModel(name);
    ModelVersion version =
        registry
            .version(name, versionNumber(number))
            .orElseThrow(
                () -> ApiException.notFound("Model " + name + " has no version " + number));
    ctx.json(Map.of("model_version", versionJson(version)));
  }

  private void setAlias(Context ctx) {
    JsonNode body =
        JsonBodies.object(
            json,
            ctx.bodyAsBytes(),
            "{\"name\": \"churn\", \"alias\": \"champion\", \"version\": \"2\"}");
    JsonBodies.onlyFields(body, Set.of("name", "alias", "version"), "registered-models/alias");
    JsonNode version = body.get("version");
    String number = version == null || version.isNull() ? "" : version.asText();
    writer.setAlias(text(body, "name", true), text(body, "alias", true), versionNumber(number));
    ctx.json(Map.of());
  }

  private void deleteAlias(Context ctx) {
    String name = ctx.queryParam("name");
    String alias = ctx.queryParam("alias");
    if (name == null && alias == null && ctx.bodyAsBytes().length > 0) {
      JsonNode body = JsonBodies.object(json, ctx.bodyAsBytes(), "{\"name\", \"alias\"}");
      name = text(body, "name", true);
      alias = text(body, "alias", true);
    }
    if (name == null || alias == null) {
      throw ApiException.invalidParameter(
          "Give 'name' and 'alias' as query parameters (or a JSON body)");
    }
    writer.deleteAlias(name, alias);
    ctx.json(Map.of());
  }

  private void getByAlias(Context ctx) {
    String name = query(ctx, "name");
    String alias = validName(query(ctx, "alias"), "alias");
    requireModel(name);
    ModelVersion version =
        registry
            .versionByAlias(name, alias)
            .orElseThrow(() -> ApiException.notFound("Model " + name + " has no alias " + alias));
    ctx.json(Map.of("model_version", versionJson(version)));
  }

  /**
   * Reads a registration's {@code source} file, which must resolve inside {@code sourceDir} (the
   * node's {@code registry.source.dir}) even after following links.
   *
   * @param sourceDir the allowed directory, or null if {@code source} is disabled
   */
  static byte[] readSource(Path sourceDir, String source) {
    if (sourceDir == null) {
      throw ApiException.invalidParameter(
          "'source' paths are disabled on this node (registry.source.dir is not set); send the"
              + " ONNX bytes as base64 'artifact'");
    }
    try {
      Path root = sourceDir.toRealPath();
      Path candidate = root.resolve(source).normalize();
      if (!candidate.startsWith(root)) {
        throw ApiException.invalidParameter(
            "'source' " + source + " is outside registry.source.dir");
      }
      Path real = candidate.toRealPath();
      if (!real.startsWith(root) || !Files.isRegularFile(real)) {
        throw ApiException.invalidParameter(
            "'source' " + source + " is not a file inside registry.source.dir");
      }
      return Files.readAllBytes(real);
    } catch (IOException | InvalidPathException e) {
      throw ApiException.invalidParameter(
          "'source' " + source + " cannot be read under registry.source.dir: " + e.getMessage());
    }
  }

  private RegisteredModel requireModel(String name) {
    validName(name, "model name");
    return registry
        .model(name)
        .orElseThrow(() -> ApiException.notFound("Registered model " + name + " does not exist"));
  }

  private Map<String, Object> modelJson(RegisteredModel model) {
    var out = new LinkedHashMap<String, Object>();
    out.put("name", model.name());
    out.put("creation_timestamp", model.creationTimestamp());
    out.put("description", model.description());
    List<ModelVersion> versions = registry.versions(model.name());
    out.put(
        "latest_versions",
        versions.isEmpty() ? List.of() : List.of(versionJson(versions.get(versions.size() - 1))));
    var aliases = new ArrayList<Object>();
    new TreeMap<>(registry.aliases(model.name()))
        .forEach(
            (alias, version) ->
                aliases.add(Map.of("alias", alias, "version", Integer.toString(version))));
    out.put("aliases", aliases);
    return out;
  }

  private Map<String, Object> versionJson(ModelVersion v) {
    var out = new LinkedHashMap<String, Object>();
    out.put("name", v.name());
    out.put("version", Integer.toString(v.version()));
    out.put("creation_timestamp", v.creationTimestamp());
    out.put("description", v.description());
    out.put("source", v.source());
    out.put("status", "READY");
    out.put("feature_service", v.featureService());
    out.put("input_signature", v.inputSignature());
    out.put("artifact_sha256", v.artifactSha256());
    out.put("artifact_size", v.artifactSize());
    out.put("params", v.params());
    out.put("metrics", v.metrics());
    out.put("data_from", v.dataFrom());
    out.put("data_to", v.dataTo());
    var aliases = new ArrayList<String>();
    new TreeMap<>(registry.aliases(v.name()))
        .forEach(
            (alias, version) -> {
              if (version == v.version()) {
                aliases.add(alias);
              }
            });
    out.put("aliases", aliases);
    return out;
  }

  /** A name no model or alias can have (e.g. with '/' or '..') is a 400, not a 404. */
  private static String validName(String name, String what) {
    try {
      return RegistryRecord.checkName(name, what);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidParameter(e.getMessage());
    }
  }

  private static int versionNumber(String text) {
    try {
      int number = Integer.parseInt(text.trim());
      if (number >= 1) {
        return number;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw ApiException.invalidParameter("'version' must be a number >= 1, got '" + text + "'");
  }

  private static String query(Context ctx, String name) {
    String value = ctx.queryParam(name);
    if (value == null || value.isBlank()) {
      throw ApiException.invalidParameter("Missing query parameter '" + name + "'");
    }
    return value;
  }

  private static String text(JsonNode body, String field, boolean required) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      if (required) {
        throw ApiException.invalidParameter("Missing field '" + field + "'");
      }
      return "";
    }
    if (!node.isTextual()) {
      throw ApiException.invalidParameter("'" + field + "' must be a string");
    }
    return node.asText();
  }

  private static String nullableText(JsonNode body, String field) {
    String value = text(body, field, false);
    return value.isEmpty() ? null : value;
  }

  private static Map<String, String> params(JsonNode node) {
    var out = new TreeMap<String, String>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isObject()) {
      throw ApiException.invalidParameter("'params' must be an object of strings");
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!e.getValue().isValueNode() || e.getValue().isNull()) {
        throw ApiException.invalidParameter("'params." + e.getKey() + "' must be a string");
      }
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }

  private static Map<String, Double> metrics(JsonNode node) {
    var out = new TreeMap<String, Double>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isObject()) {
      throw ApiException.invalidParameter("'metrics' must be an object of numbers");
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!e.getValue().isNumber()) {
        throw ApiException.invalidParameter("'metrics." + e.getKey() + "' must be a number");
      }
      out.put(e.getKey(), e.getValue().asDouble());
    }
    return out;
  }
}
