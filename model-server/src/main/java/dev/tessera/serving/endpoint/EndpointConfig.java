package dev.tessera.serving.endpoint;

import dev.tessera.serving.endpoint.TrafficSplit.Route;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A serving endpoint's configuration, shaped like Databricks' {@code config}: the served entities
 * and the traffic routes among them, with the salt of its sticky assignment. Validated as a whole,
 * with a message naming the first problem, before it is stored.
 *
 * <pre>{@code
 * var config =
 *     new EndpointConfig(
 *         "churn",
 *         List.of(ServedEntity.ofAlias("champion", "churn", "champion"),
 *                 ServedEntity.ofAlias("challenger", "churn", "challenger")),
 *         List.of(new Route("champion", 90), new Route("challenger", 10)),
 *         "churn");
 * config.validate(models); // refuses unknown models, versions and aliases
 * }</pre>
 *
 * @param name endpoint name, used in URLs
 * @param entities served entities, shadows included
 * @param routes traffic routes over the non-shadow entities, adding up to 100
 * @param salt mixed into the assignment hash; changing it reshuffles every key
 * @param guardrails limits on the challenger (the second route); defaults when null
 */
public record EndpointConfig(
    String name,
    List<ServedEntity> entities,
    List<Route> routes,
    String salt,
    Guardrails guardrails) {

  /** A config with the default {@link Guardrails}. */
  public EndpointConfig(String name, List<ServedEntity> entities, List<Route> routes, String salt) {
    this(name, entities, routes, salt, Guardrails.defaults());
  }

  /** What a config may refer to: the model registry, seen as two questions. */
  public interface Models {
    boolean hasVersion(String model, int version);

    boolean hasAlias(String model, String alias);
  }

  /** Endpoint names: a letter or digit, then letters, digits, {@code _ -}; at most 63. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");

  /** The refusal of an endpoint name that does not match {@link #NAME}. */
  public static String invalidName(String name) {
    return "Invalid endpoint name '" + name + "': letters, digits, '_', '-', at most 63";
  }

  public EndpointConfig {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(invalidName(name));
    }
    entities = List.copyOf(entities);
    routes = List.copyOf(routes);
    salt = salt == null || salt.isBlank() ? name : salt;
    guardrails = guardrails == null ? Guardrails.defaults() : guardrails;
    if (entities.isEmpty()) {
      throw new IllegalArgumentException("Endpoint " + name + " has no served_entities");
    }
    var names = new HashSet<String>();
    for (ServedEntity e : entities) {
      if (!names.add(e.name())) {
        throw new IllegalArgumentException(
            "Endpoint " + name + " names served entity " + e.name() + " twice");
      }
    }
    TrafficSplit.of(routes);
    for (Route r : routes) {
      ServedEntity target = entity(entities, r.servedModelName()).orElse(null);
      if (target == null) {
        throw new IllegalArgumentException(
            "Route to "
                + r.servedModelName()
                + " names no served entity of endpoint "
                + name
                + "; served entities: "
                + entities.stream().map(ServedEntity::name).toList());
      }
      if (target.shadow()) {
        throw new IllegalArgumentException(
            "Route to " + r.servedModelName() + ": a shadow entity takes no traffic route");
      }
    }
  }

  /** The entity the others are compared with: the first route's. */
  public String champion() {
    return routes.get(0).servedModelName();
  }

  /** The entity a promotion promotes: the second route's, if there is one. */
  public Optional<String> challenger() {
    return routes.size() < 2 ? Optional.empty() : Optional.of(routes.get(1).servedModelName());
  }

  /** The same config with other routes (same order of entities, new percentages). */
  public EndpointConfig withRoutes(List<Route> newRoutes) {
    return new EndpointConfig(name, entities, newRoutes, salt, guardrails);
  }

  /** The same config with one entity replaced (matched by name). */
  public EndpointConfig withEntity(ServedEntity entity) {
    return new EndpointConfig(
        name,
        entities.stream().map(e -> e.name().equals(entity.name()) ? entity : e).toList(),
        routes,
        salt,
        guardrails);
  }

  /** The traffic split of the routes. */
  public TrafficSplit split() {
    return TrafficSplit.of(routes);
  }

  public Optional<ServedEntity> entity(String entityName) {
    return entity(entities, entityName);
  }

  private static Optional<ServedEntity> entity(List<ServedEntity> entities, String entityName) {
    return entities.stream().filter(e -> e.name().equals(entityName)).findFirst();
  }

  /** The shadow entities. */
  public List<ServedEntity> shadows() {
    return entities.stream().filter(ServedEntity::shadow).toList();
  }

  /**
   * Checks that every entity's model version or alias exists.
   *
   * @throws IllegalArgumentException naming the first that does not
   */
  public void validate(Models models) {
    for (ServedEntity e : entities) {
      boolean exists =
          e.alias() != null
              ? models.hasAlias(e.model(), e.alias())
              : models.hasVersion(e.model(), e.version());
      if (!exists) {
        throw new IllegalArgumentException(
            "Served entity "
                + e.name()
                + " of endpoint "
                + name
                + " refers to "
                + e.target()
                + ", which the registry does not have");
      }
    }
  }
}
