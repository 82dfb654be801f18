package dev.tessera.serving.catalog;

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
 */
public record ServingSnapshot(
    List<ModelVersion> versions,
    Map<String, Map<String, Integer>> aliases,
    List<EndpointConfig> endpoints) {

  public ServingSnapshot {
    versions = List.copyOf(versions);
    var copied = new LinkedHashMap<String, Map<String, Integer>>();
    aliases.forEach((model, byName) -> copied.put(model, Map.copyOf(byName)));
    aliases = Map.copyOf(copied);
    endpoints = List.copyOf(endpoints);
  }

  /** The registry as {@code registry} holds it now, with {@code endpoints}. */
  public static ServingSnapshot of(ModelRegistry registry, List<EndpointConfig> endpoints) {
    var versions = new ArrayList<ModelVersion>();
    var aliases = new LinkedHashMap<String, Map<String, Integer>>();
    for (RegisteredModel m : registry.models()) {
      versions.addAll(registry.versions(m.name()));
      aliases.put(m.name(), registry.aliases(m.name()));
    }
    return new ServingSnapshot(versions, aliases, endpoints);
  }

  /** The version an alias of {@code model} points at, or null. */
  Integer resolve(String model, String alias) {
    return aliases.getOrDefault(model, Map.of()).get(alias);
  }
}
