package dev.tessera.serving.endpoint;

import dev.tessera.serving.endpoint.AuditEntry.Action;
import dev.tessera.serving.endpoint.TrafficSplit.Route;
import dev.tessera.serving.registry.ModelRegistry;
import dev.tessera.serving.registry.ModelVersion;
import dev.tessera.serving.registry.RegistryWriter;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one-call changes of an experiment, each audited on the endpoints topic: promote the
 * challenger, roll a promotion back, and pull a challenger's traffic back to the champion (what a
 * broken guardrail does). The champion is the entity of the first route, the challenger that of the
 * second.
 *
 * <pre>{@code
 * var ops = new EndpointOperations(endpoints, endpointWriter, models, registryWriter);
 * ops.promote("churn", "cli");   // champion alias -> challenger's version, champion route 100%
 * ops.rollback("churn", "cli");  // alias and routes as they were before the promotion
 * }</pre>
 */
public final class EndpointOperations {
  private final EndpointStore store;
  private final EndpointWriter writer;
  private final ModelRegistry models;
  private final RegistryWriter registryWriter;

  public EndpointOperations(
      EndpointStore store,
      EndpointWriter writer,
      ModelRegistry models,
      RegistryWriter registryWriter) {
    this.store = store;
    this.writer = writer;
    this.models = models;
    this.registryWriter = registryWriter;
  }

  /** The registry as configs see it. */
  public EndpointConfig.Models registryView() {
    return new EndpointConfig.Models() {
      @Override
      public boolean hasVersion(String model, int version) {
        return models.version(model, version).isPresent();
      }

      @Override
      public boolean hasAlias(String model, String alias) {
        return models.versionByAlias(model, alias).isPresent();
      }
    };
  }

  /**
   * Makes the challenger the champion: moves the champion entity's alias (or, for an entity pinned
   * to a version, its version) to the challenger's version, and gives the champion route all the
   * traffic. The audit entry keeps what a rollback needs.
   *
   * @throws IllegalStateException if the endpoint has no stored config or no challenger
   */
  public EndpointStore.Versioned promote(String endpoint, String actor) {
    return promote(endpoint, actor, Map.of());
  }

  /**
   * {@link #promote(String, String)} with the figures that decided it (e.g. the experiment's
   * verdict) kept in the audit entry.
   */
  public EndpointStore.Versioned promote(
      String endpoint, String actor, Map<String, String> figures) {
    EndpointStore.Versioned current = stored(endpoint);
    EndpointConfig config = current.config();
    String challengerName =
        config
            .challenger()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "Endpoint " + endpoint + " has no challenger (a second route) to promote"));
    ServedEntity champion = config.entity(config.champion()).orElseThrow();
    ServedEntity challenger = config.entity(challengerName).orElseThrow();
    int from = resolve(champion);
    int to = resolve(challenger);
    if (!challenger.model().equals(champion.model())) {
      throw new IllegalStateException(
          "Cannot promote "
              + challenger.target()
              + " over "
              + champion.target()
              + ": they are versions of different models");
    }
    if (from == to) {
      // After a promotion both aliases name the same version: promoting again would record a
      // promotion of v2 over v2, which one rollback then "undoes" to v2.
      throw new IllegalStateException(
          "Endpoint "
              + endpoint
              + ": the challenger ("
              + challenger.model()
              + " v"
              + to
              + ") is already the champion; nothing to promote");
    }
    EndpointConfig promoted = config.withRoutes(allTo(config, config.champion()));
    if (champion.alias() != null) {
      registryWriter.setAlias(champion.model(), champion.alias(), to);
    } else {
      promoted = promoted.withEntity(ServedEntity.ofVersion(champion.name(), champion.model(), to));
    }
    var details = new LinkedHashMap<String, String>();
    details.put("model", champion.model());
    details.put("previous_champion_version", Integer.toString(from));
    details.put("champion_version", Integer.toString(to));
    details.put("previous_config_version", Long.toString(current.version()));
    details.put("previous_config", EndpointConfigJson.toJson(config).toString());
    figures.forEach(details::putIfAbsent);
    return writer.put(
        promoted,
        registryView(),
        new EndpointWriter.Request(
            actor,
            Action.PROMOTE,
            champion.model() + " v" + to + " (" + challengerName + ") promoted over v" + from,
            details));
  }

  /**
   * Undoes the last promotion not yet rolled back: the champion alias (or version) back to the
   * previous champion's version, and the routes as they were.
   *
   * @throws IllegalStateException if there is no promotion to undo
   */
  public EndpointStore.Versioned rollback(String endpoint, String actor) {
    stored(endpoint);
    AuditEntry promotion =
        lastUndonePromotion(endpoint)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "Endpoint " + endpoint + " has no promotion to roll back"));
    Map<String, String> d = promotion.details();
    EndpointConfig before =
        EndpointConfigJson.parse(endpoint, EndpointConfigJson.read(d.get("previous_config")));
    ServedEntity champion = before.entity(before.champion()).orElseThrow();
    int previous = Integer.parseInt(d.get("previous_champion_version"));
    if (champion.alias() != null) {
      registryWriter.setAlias(champion.model(), champion.alias(), previous);
    }
    var details = new LinkedHashMap<String, String>();
    details.put("model", champion.model());
    details.put("champion_version", Integer.toString(previous));
    details.put("undone_champion_version", d.get("champion_version"));
    details.put("undone_config_version", Long.toString(promotion.configVersion()));
    return writer.put(
        before,
        registryView(),
        new EndpointWriter.Request(
            actor,
            Action.ROLLBACK,
            "promotion of "
                + champion.model()
                + " v"
                + d.get("champion_version")
                + " rolled back to v"
                + previous,
            details));
  }

  /**
   * Gives the champion all the traffic because the challenger broke a guardrail, if the config is
   * still {@code seenVersion} (another node may have acted already: then nothing is written).
   *
   * @return the new config, or empty if the config had changed
   */
  public Optional<EndpointStore.Versioned> pullBack(
      String endpoint, long seenVersion, String actor, String reason, Map<String, String> figures) {
    EndpointStore.Versioned current = stored(endpoint);
    if (current.version() != seenVersion) {
      return Optional.empty();
    }
    EndpointConfig config = current.config();
    try {
      return Optional.of(
          writer.replace(
              config.withRoutes(allTo(config, config.champion())),
              seenVersion,
              registryView(),
              new EndpointWriter.Request(actor, Action.GUARDRAIL_ROLLBACK, reason, figures)));
    } catch (ConcurrentModificationException e) {
      return Optional.empty();
    }
  }

  private Optional<AuditEntry> lastUndonePromotion(String endpoint) {
    List<AuditEntry> audit = store.audit(endpoint);
    int undone = 0;
    for (int i = audit.size() - 1; i >= 0; i--) {
      AuditEntry e = audit.get(i);
      if (e.action() == Action.ROLLBACK) {
        undone++;
      } else if (e.action() == Action.PROMOTE) {
        if (undone == 0) {
          return Optional.of(e);
        }
        undone--;
      }
    }
    return Optional.empty();
  }

  private EndpointStore.Versioned stored(String endpoint) {
    return store
        .get(endpoint)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "Endpoint "
                        + endpoint
                        + " has no stored config; PUT /api/2.0/serving-endpoints/"
                        + endpoint
                        + " first"));
  }

  private int resolve(ServedEntity entity) {
    if (entity.version() != null) {
      return entity.version();
    }
    return models
        .versionByAlias(entity.model(), entity.alias())
        .map(ModelVersion::version)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "Alias " + entity.alias() + " of " + entity.model() + " is not set"));
  }

  /** The same routes, in the same order, with all traffic on {@code entity}. */
  private static List<Route> allTo(EndpointConfig config, String entity) {
    var routes = new ArrayList<Route>();
    for (Route r : config.routes()) {
      routes.add(new Route(r.servedModelName(), r.servedModelName().equals(entity) ? 100 : 0));
    }
    return routes;
  }
}
