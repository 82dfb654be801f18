package dev.tessera.serving.retrain;

import dev.tessera.serving.endpoint.EndpointConfig;
import dev.tessera.serving.endpoint.EndpointOperations;
import dev.tessera.serving.endpoint.EndpointStore;
import dev.tessera.serving.endpoint.EndpointWriter;
import dev.tessera.serving.endpoint.ServedEntity;
import dev.tessera.serving.endpoint.TrafficSplit.Route;
import dev.tessera.serving.registry.ModelRegistry;
import dev.tessera.serving.registry.ModelVersion;
import dev.tessera.serving.registry.NewVersion;
import dev.tessera.serving.registry.RegistryWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The writes of a candidate that passed its gates, undone together if one fails: register the
 * version, point the {@value #ALIAS} alias at it, give it a share of the endpoint's traffic. A
 * failure part-way restores the alias and deletes the version, so the registry and the endpoint are
 * exactly as before.
 *
 * <pre>{@code
 * ModelVersion v = new ChallengerRollout(models, registryWriter, operations, endpointWriter)
 *     .start(stored, config, request, 10, audit, CycleFaults.NONE);
 * }</pre>
 */
public final class ChallengerRollout {
  /** The alias and served-entity name a retrained candidate is served under. */
  public static final String ALIAS = "challenger";

  private final ModelRegistry models;
  private final RegistryWriter registryWriter;
  private final EndpointOperations operations;
  private final EndpointWriter endpointWriter;

  public ChallengerRollout(
      ModelRegistry models,
      RegistryWriter registryWriter,
      EndpointOperations operations,
      EndpointWriter endpointWriter) {
    this.models = models;
    this.registryWriter = registryWriter;
    this.operations = operations;
    this.endpointWriter = endpointWriter;
  }

  /**
   * Registers and starts the candidate.
   *
   * @param stored the endpoint's stored config, or null if it runs on its default
   * @param config the config to add the challenger to (the stored one, or the default)
   * @param percent the challenger's share of the traffic
   * @return the registered version
   */
  public ModelVersion start(
      EndpointStore.Versioned stored,
      EndpointConfig config,
      NewVersion request,
      int percent,
      EndpointWriter.Request audit,
      CycleFaults faults) {
    String model = request.name();
    Integer previousAlias = models.aliases(model).get(ALIAS);
    faults.before("register");
    ModelVersion version = registryWriter.createVersion(request);
    boolean aliased = false;
    try {
      faults.before("alias");
      registryWriter.setAlias(model, ALIAS, version.version());
      aliased = true;
      faults.before("endpoint");
      EndpointConfig next = withChallenger(config, model, percent);
      if (stored == null) {
        endpointWriter.put(next, operations.registryView(), audit);
      } else {
        endpointWriter.replace(next, stored.version(), operations.registryView(), audit);
      }
      return version;
    } catch (RuntimeException e) {
      undo(model, version.version(), aliased, previousAlias, e);
      throw e;
    }
  }

  private void undo(
      String model, int version, boolean aliased, Integer previousAlias, RuntimeException cause) {
    try {
      if (aliased && previousAlias != null) {
        registryWriter.setAlias(model, ALIAS, previousAlias);
      } else if (aliased) {
        registryWriter.deleteAlias(model, ALIAS);
      }
      registryWriter.deleteVersion(model, version);
    } catch (RuntimeException undoFailed) {
      cause.addSuppressed(undoFailed);
    }
  }

  /**
   * {@code config} with the candidate as its challenger: the champion and shadows kept, any other
   * challenger dropped, routes champion {@code 100 − percent} / challenger {@code percent}.
   */
  static EndpointConfig withChallenger(EndpointConfig config, String model, int percent) {
    String champion = config.champion();
    var entities = new ArrayList<ServedEntity>();
    for (ServedEntity e : config.entities()) {
      if (e.name().equals(champion) || (e.shadow() && !e.name().equals(ALIAS))) {
        entities.add(e);
      }
    }
    entities.add(ServedEntity.ofAlias(ALIAS, model, ALIAS));
    return new EndpointConfig(
        config.name(),
        entities,
        List.of(new Route(champion, 100 - percent), new Route(ALIAS, percent)),
        config.salt(),
        config.guardrails());
  }

  /** {@code config} without its challenger: the champion takes all the traffic. */
  static EndpointConfig withoutChallenger(EndpointConfig config) {
    String champion = config.champion();
    String challenger = config.challenger().orElse(null);
    var entities = config.entities().stream().filter(e -> !e.name().equals(challenger)).toList();
    return new EndpointConfig(
        config.name(),
        entities,
        List.of(new Route(champion, 100)),
        config.salt(),
        config.guardrails());
  }
}
