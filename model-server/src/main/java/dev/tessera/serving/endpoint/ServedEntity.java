package dev.tessera.serving.endpoint;

import java.util.Objects;

/**
 * One model an endpoint serves, Databricks' {@code served_entities} item: a name routes refer to,
 * the registered model, and either a fixed version or an alias the entity follows. A shadow entity
 * scores every request and is logged, but its answer is never returned.
 *
 * <pre>{@code
 * var champion = ServedEntity.ofAlias("champion", "churn", "champion");
 * var pinned = ServedEntity.ofVersion("v2", "churn", 2);
 * }</pre>
 *
 * @param name served entity name, unique in the endpoint, e.g. {@code champion}
 * @param model registered model name
 * @param version a fixed version, or null when {@code alias} is set
 * @param alias an alias of {@code model} to follow, or null when {@code version} is set
 * @param shadow scored and logged, not returned, takes no route
 */
public record ServedEntity(
    String name, String model, Integer version, String alias, boolean shadow) {
  public ServedEntity {
    requireName(name, "served entity name");
    requireName(model, "entity_name of " + name);
    if ((version == null) == (alias == null)) {
      throw new IllegalArgumentException(
          "Served entity " + name + " needs exactly one of entity_version and alias");
    }
    if (version != null && version < 1) {
      throw new IllegalArgumentException(
          "Served entity " + name + ": entity_version must be 1 or more, got " + version);
    }
    if (alias != null) {
      requireName(alias, "alias of " + name);
    }
  }

  public static ServedEntity ofVersion(String name, String model, int version) {
    return new ServedEntity(name, model, version, null, false);
  }

  public static ServedEntity ofAlias(String name, String model, String alias) {
    return new ServedEntity(name, model, null, alias, false);
  }

  /** The same entity as a shadow. */
  public ServedEntity asShadow() {
    return new ServedEntity(name, model, version, alias, true);
  }

  /** {@code model@alias} or {@code model v3}, for messages. */
  public String target() {
    return alias != null ? model + "@" + alias : model + " v" + version;
  }

  private static void requireName(String value, String what) {
    Objects.requireNonNull(value, what);
    if (!value.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")) {
      throw new IllegalArgumentException(
          "Invalid " + what + " '" + value + "': letters, digits, '_', '.', '-', at most 100");
    }
  }
}
