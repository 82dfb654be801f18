package dev.tessera.serving.registry;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The registry as the records read so far make it: pure, no Kafka, not thread-safe ({@link
 * ModelRegistry} guards it). Applying the topic from its start in order rebuilds the same state on
 * every node.
 *
 * <p>A version record is accepted only if its model exists and it is the first record of that
 * number: the first writer wins and a later record of the same number (which a correct writer never
 * sends) is ignored, so versions stay immutable even on the topic. Chunks are kept per version
 * number until the version record that names how many of them it uses arrives.
 */
final class RegistryState {
  private final Map<String, Entry> models = new TreeMap<>();
  // chunks of versions not yet (or never) committed by a version record, by "name/version"
  private final Map<String, Map<Integer, byte[]>> chunks = new HashMap<>();

  /** One model with its versions and aliases. */
  static final class Entry {
    final RegisteredModel model;
    final TreeMap<Integer, ModelVersion> versions = new TreeMap<>();
    final Map<Integer, Map<Integer, byte[]>> artifacts = new HashMap<>();
    final TreeMap<String, Integer> aliases = new TreeMap<>();

    Entry(RegisteredModel model) {
      this.model = model;
    }
  }

  /**
   * Applies one record.
   *
   * @return the alias change it made, if it moved, added or deleted an alias
   */
  Optional<AliasChange> apply(RegistryRecord record) {
    if (record instanceof RegistryRecord.Model m) {
      models.putIfAbsent(m.model().name(), new Entry(m.model()));
    } else if (record instanceof RegistryRecord.Chunk c) {
      chunks
          .computeIfAbsent(c.name() + "/" + c.version(), k -> new HashMap<>())
          .put(c.index(), c.bytes());
    } else if (record instanceof RegistryRecord.Version v) {
      ModelVersion version = v.version();
      Entry entry = models.get(version.name());
      if (entry != null && !entry.versions.containsKey(version.version())) {
        entry.versions.put(version.version(), version);
        Map<Integer, byte[]> parts = chunks.remove(version.name() + "/" + version.version());
        entry.artifacts.put(version.version(), parts == null ? Map.of() : parts);
      }
    } else if (record instanceof RegistryRecord.Tombstone t && t.key().startsWith("version/")) {
      String[] parts = t.key().split("/");
      Entry entry = models.get(parts[1]);
      if (entry != null) {
        int number = Integer.parseInt(parts[2]);
        entry.versions.remove(number);
        entry.artifacts.remove(number);
      }
    } else if (record instanceof RegistryRecord.Alias a) {
      Entry entry = models.get(a.name());
      if (entry == null) {
        return Optional.empty();
      }
      Integer before =
          a.version() == null
              ? entry.aliases.remove(a.alias())
              : entry.aliases.put(a.alias(), a.version());
      if (!Objects.equals(before, a.version())) {
        return Optional.of(new AliasChange(a.name(), a.alias(), before, a.version()));
      }
    }
    return Optional.empty();
  }

  Optional<RegisteredModel> model(String name) {
    return Optional.ofNullable(models.get(name)).map(e -> e.model);
  }

  List<RegisteredModel> models() {
    return models.values().stream().map(e -> e.model).toList();
  }

  List<ModelVersion> versions(String name) {
    Entry entry = models.get(name);
    return entry == null ? List.of() : List.copyOf(entry.versions.values());
  }

  Optional<ModelVersion> version(String name, int version) {
    Entry entry = models.get(name);
    return entry == null ? Optional.empty() : Optional.ofNullable(entry.versions.get(version));
  }

  /** Aliases of a model, sorted by alias. */
  Map<String, Integer> aliases(String name) {
    Entry entry = models.get(name);
    return entry == null ? Map.of() : Map.copyOf(entry.aliases);
  }

  int latestVersion(String name) {
    Entry entry = models.get(name);
    return entry == null || entry.versions.isEmpty() ? 0 : entry.versions.lastKey();
  }

  /** The reassembled, sha256-checked artifact of a version, if the version exists. */
  Optional<byte[]> artifact(String name, int number) {
    return version(name, number)
        .map(
            v ->
                ArtifactStore.join(
                    models.get(name).artifacts.get(number),
                    v.chunkCount(),
                    v.artifactSha256(),
                    name + " version " + number));
  }
}
