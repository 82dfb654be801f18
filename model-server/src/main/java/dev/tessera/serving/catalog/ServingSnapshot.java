package dev.tessera.serving.catalog;

import dev.tessera.serving.drift.ModelDrift;
import dev.tessera.serving.endpoint.EndpointConfig;
import dev.tessera.serving.registry.ModelRegistry;
import dev.tessera.serving.registry.ModelVersion;
import dev.tessera.serving.registry.RegisteredModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What lineage reads of the registry and the endpoint configs, taken at one moment: every model
 * version, every model's aliases as they point now, and the endpoint configs a node serves.
 *
 * <pre>{@code
 * ServingSnapshot serving = ServingSnapshot.of(modelRegistry, endpointConfigs);
 * }</pre>
 *
 * @param versions every version of every model
 * @param aliases per model, each alias and the version it points at
 * @param endpoints the endpoint configs served (stored ones and the seed default)
 * @param drift the drift monitor's latest figures per version, keyed {@code model/version}
 */
public record ServingSnapshot(
    List<ModelVersion> versions,
    Map<String, Map<String, Integer>> aliases,
    List<EndpointConfig> endpoints,
    Map<String, ModelDrift> drift) {

  /** A snapshot without drift figures. */
  public ServingSnapshot(
      List<ModelVersion> versions,
      Map<String, Map<String, Integer>> aliases,
      List<EndpointConfig> endpoints) {
    this(versions, aliases, endpoints, Map.of());
  }

  public ServingSnapshot {
    versions = List.copyOf(versions);
    var copied = new LinkedHashMap<String, Map<String, Integer>>();
    aliases.forEach((model, byName) -> copied.put(model, Map.copyOf(byName)));
    aliases = Map.copyOf(copied);
    endpoints = List.copyOf(endpoints);
    drift = Map.copyOf(drift);
  }

  /** The registry as {@code registry} holds it now, with {@code endpoints}. */
  public static ServingSnapshot of(ModelRegistry registry, List<EndpointConfig> endpoints) {
    return of(registry, endpoints, List.of());
  }

  /** As above, with the drift monitor's latest figures. */
  public static ServingSnapshot of(
      ModelRegistry registry, List<EndpointConfig> endpoints, List<ModelDrift> drift) {
    var versions = new ArrayList<ModelVersion>();
    var aliases = new LinkedHashMap<String, Map<String, Integer>>();
    for (RegisteredModel m : registry.models()) {
      versions.addAll(registry.versions(m.name()));
      aliases.put(m.name(), registry.aliases(m.name()));
    }
    var byVersion = new LinkedHashMap<String, ModelDrift>();
    drift.forEach(d -> byVersion.put(d.model() + "/" + d.version(), d));
    return new ServingSnapshot(versions, aliases, endpoints, byVersion);
  }

  /** The latest drift figures of a version, or null. */
  ModelDrift driftOf(ModelVersion v) {
    return drift.get(v.name() + "/" + v.version());
  }

  /** The version an alias of {@code model} points at, or null. */
  Integer resolve(String model, String alias) {
    return aliases.getOrDefault(model, Map.of()).get(alias);
  }
}
