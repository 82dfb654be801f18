package dev.tessera.serving.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One record of the {@code tessera-registry} topic: its key and value, and the codec between them.
 *
 * <table>
 *   <caption>Record layout</caption>
 *   <tr><th>key</th><th>value</th></tr>
 *   <tr><td>{@code model/<name>}</td><td>JSON {@link RegisteredModel}</td></tr>
 *   <tr><td>{@code version/<name>/<n>}</td><td>JSON {@link ModelVersion}</td></tr>
 *   <tr><td>{@code chunk/<name>/<n>/<i>}</td><td>raw bytes of chunk {@code i} of the artifact</td></tr>
 *   <tr><td>{@code alias/<name>/<alias>}</td><td>JSON {@code {"version": n}}; {@code null}
 *       deletes the alias</td></tr>
 * </table>
 *
 * <p>Names of models and aliases are checked by {@link #checkName}, so a key splits unambiguously
 * on {@code /}. Unknown JSON fields are ignored, so a newer writer's records stay readable.
 *
 * <pre>{@code
 * RegistryRecord r = new RegistryRecord.Alias("churn", "champion", 2);
 * r.key();   // "alias/churn/champion"
 * RegistryRecord.decode(r.key(), r.value()).equals(r); // true
 * }</pre>
 */
public sealed interface RegistryRecord {
  /** Model and alias names: a letter or digit, then letters, digits, {@code _ . -}; at most 128. */
  Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

  ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** The record key on the topic. */
  String key();

  /** The record value on the topic; {@code null} is a tombstone. */
  byte[] value();

  /** A registered model. */
  record Model(RegisteredModel model) implements RegistryRecord {
    @Override
    public String key() {
      return "model/" + model.name();
    }

    @Override
    public byte[] value() {
      return json(model);
    }
  }

  /** A model version's metadata; its artifact's chunks precede it on the topic. */
  record Version(ModelVersion version) implements RegistryRecord {
    @Override
    public String key() {
      return "version/" + version.name() + "/" + version.version();
    }

    @Override
    public byte[] value() {
      return json(version);
    }
  }

  /**
   * The deletion of a record: a version (the version and its artifact leave the registry, e.g. when
   * the cycle that registered it is undone) or one of its chunks, so that compaction drops them.
   */
  record Tombstone(String key) implements RegistryRecord {
    @Override
    public byte[] value() {
      return null;
    }

    static Tombstone ofVersion(String name, int version) {
      return new Tombstone("version/" + name + "/" + version);
    }

    static Tombstone ofChunk(String name, int version, int index) {
      return new Tombstone("chunk/" + name + "/" + version + "/" + index);
    }
  }

  /** Chunk {@code index} of the artifact of version {@code version} of model {@code name}. */
  record Chunk(String name, int version, int index, byte[] bytes) implements RegistryRecord {
    public Chunk {
      checkName(name, "model name");
      Objects.requireNonNull(bytes, "bytes");
    }

    @Override
    public String key() {
      return "chunk/" + name + "/" + version + "/" + index;
    }

    @Override
    public byte[] value() {
      return bytes;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Chunk c
          && c.name.equals(name)
          && c.version == version
          && c.index == index
          && Arrays.equals(c.bytes, bytes);
    }

    @Override
    public int hashCode() {
      return Objects.hash(name, version, index, Arrays.hashCode(bytes));
    }

    @Override
    public String toString() {
      return "Chunk[" + key() + ", " + bytes.length + " bytes]";
    }
  }

  /** Alias {@code alias} of model {@code name} points at {@code version}, or is deleted if null. */
  record Alias(String name, String alias, Integer version) implements RegistryRecord {
    public Alias {
      checkName(name, "model name");
      checkName(alias, "alias");
    }

    @Override
    public String key() {
      return "alias/" + name + "/" + alias;
    }

    @Override
    public byte[] value() {
      return version == null ? null : json(Map.of("version", version));
    }
  }

  /**
   * Reads a record from its topic key and value.
   *
   * @throws IllegalArgumentException if the key has no known shape or the value does not parse
   */
  static RegistryRecord decode(String key, byte[] value) {
    String[] parts = key == null ? new String[0] : key.split("/", -1);
    try {
      switch (parts.length > 0 ? parts[0] : "") {
        case "model" -> {
          if (parts.length == 2) {
            return new Model(read(value, RegisteredModel.class));
          }
        }
        case "version", "chunk" -> {
          if (value == null && parts.length == (parts[0].equals("version") ? 3 : 4)) {
            return new Tombstone(key);
          }
        }
        default -> {}
      }
      switch (parts.length > 0 ? parts[0] : "") {
        case "version" -> {
          if (parts.length == 3) {
            return new Version(read(value, ModelVersion.class));
          }
        }
        case "chunk" -> {
          if (parts.length == 4) {
            return new Chunk(
                parts[1],
                Integer.parseInt(parts[2]),
                Integer.parseInt(parts[3]),
                Objects.requireNonNull(value, "chunk value"));
          }
        }
        case "alias" -> {
          if (parts.length == 3) {
            Integer version = value == null ? null : JSON.readTree(value).path("version").asInt();
            if (version != null && version < 1) {
              throw new IllegalArgumentException("alias value has no version >= 1");
            }
            return new Alias(parts[1], parts[2], version);
          }
        }
        default -> {}
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "Unreadable registry record " + key + ": " + e.getMessage(), e);
    }
    throw new IllegalArgumentException(
        "Unknown registry record key "
            + key
            + "; expected model/<name>, version/<name>/<n>, chunk/<name>/<n>/<i> or"
            + " alias/<name>/<alias>");
  }

  /**
   * Checks a model or alias name.
   *
   * @throws IllegalArgumentException naming {@code what} if it does not match {@link #NAME}
   */
  static String checkName(String name, String what) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "Invalid "
              + what
              + " '"
              + name
              + "': use 1 to 128 letters, digits, '_', '.' or '-', starting with a letter or"
              + " digit");
    }
    return name;
  }

  private static byte[] json(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("Cannot write registry record " + value, e);
    }
  }

  private static <T> T read(byte[] value, Class<T> type) throws IOException {
    if (value == null) {
      throw new IllegalArgumentException("null value; only aliases can be deleted");
    }
    JsonNode tree = JSON.readTree(value);
    return JSON.treeToValue(tree, type);
  }
}
