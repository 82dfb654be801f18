package dev.tessera.serving.node;

import ai.onnxruntime.OrtEnvironment;
import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.definition.FeatureService;
import dev.tessera.serving.endpoint.EndpointConfig;
import dev.tessera.serving.endpoint.EndpointStore;
import dev.tessera.serving.endpoint.ServedEntity;
import dev.tessera.serving.endpoint.ServedModel;
import dev.tessera.serving.inference.InferenceService;
import dev.tessera.serving.inference.ModelSlot;
import dev.tessera.serving.inference.RoutedEndpoint;
import dev.tessera.serving.registry.AliasChange;
import dev.tessera.serving.registry.ModelRegistry;
import dev.tessera.serving.registry.ModelVersion;
import dev.tessera.serving.scoring.OnnxScorer;
import dev.tessera.serving.scoring.Scorer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every endpoint served as its config on the endpoints topic says, on every node: each served
 * entity loads the fixed version it names or the version its alias points at, and when an alias
 * moves the entity swaps to the new version in place (running requests finish on the old one).
 * Configs and alias moves are applied one at a time, in arrival order, on one thread.
 *
 * <p>The seed endpoint ({@code churn}) exists before anyone configures it: until a config is stored
 * for it, it serves one entity following {@code churn.model@churn.alias}, and the bootstrap model
 * while that alias does not exist. Deleting its config returns it to that default.
 *
 * <p>A version that cannot be served (unknown feature service, wrong input width, artifact missing)
 * leaves its entity unavailable with the reason, which requests routed to it get as a 503; the
 * entity's previous model, if it had one, keeps serving instead.
 *
 * <pre>{@code
 * var serving = new EndpointServing(models, features, inference, endpoints, defaults, bootstrap);
 * serving.start(); // every stored config applied before it returns
 * }</pre>
 */
final class EndpointServing implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EndpointServing.class);

  private final ModelRegistry models;
  private final FeatureRegistry features;
  private final InferenceService inference;
  private final EndpointStore store;
  private final EndpointConfig defaultConfig;
  private final Supplier<ServedModel> bootstrap;
  private final ExecutorService applier =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "tessera-endpoint-applier");
            t.setDaemon(true);
            return t;
          });
  // Owned by the applier thread: what each endpoint's entities serve now.
  private final Map<String, Map<String, Loaded>> loaded = new HashMap<>();

  /** A loaded entity: the spec it was loaded for, the version it resolved to, and its slot. */
  private record Loaded(ServedEntity spec, String version, ModelSlot slot) {}

  /**
   * @param defaultConfig the config of the seed endpoint while none is stored for it, or null when
   *     there is no seed endpoint (definitions without its feature service)
   * @param bootstrap the model the default config serves while its alias does not exist
   */
  EndpointServing(
      ModelRegistry models,
      FeatureRegistry features,
      InferenceService inference,
      EndpointStore store,
      EndpointConfig defaultConfig,
      Supplier<ServedModel> bootstrap) {
    this.models = models;
    this.features = features;
    this.inference = inference;
    this.store = store;
    this.defaultConfig = defaultConfig;
    this.bootstrap = bootstrap;
  }

  /** Applies every stored config (and the default), then follows changes. */
  void start() {
    await(
        applier.submit(
            () -> {
              if (defaultConfig != null && store.get(defaultConfig.name()).isEmpty()) {
                apply(defaultConfig, 0);
              }
              store.all().forEach(v -> apply(v.config(), v.version()));
            }));
    store.onChange(change -> applier.execute(() -> changed(change)));
    models.onAliasChange(change -> applier.execute(() -> aliasMoved(change)));
  }

  private static void await(Future<?> task) {
    try {
      task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while loading the endpoints", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Loading the endpoints failed", e.getCause());
    }
  }

  private void changed(EndpointStore.Change change) {
    if (change.current() != null) {
      apply(change.current().config(), change.current().version());
    } else if (defaultConfig != null && change.endpoint().equals(defaultConfig.name())) {
      apply(defaultConfig, 0);
    } else {
      inference.withdraw(change.endpoint());
      Map<String, Loaded> gone = loaded.remove(change.endpoint());
      if (gone != null) {
        gone.values().forEach(l -> l.slot().close());
      }
      log.info("Endpoint {} deleted", change.endpoint());
    }
  }

  private void aliasMoved(AliasChange change) {
    if (change.version() == null) {
      log.warn(
          "Alias {}@{} was deleted; entities following it keep their model",
          change.model(),
          change.alias());
      return;
    }
    for (String endpoint : List.copyOf(loaded.keySet())) {
      EndpointConfig config = currentConfig(endpoint);
      boolean follows =
          config.entities().stream()
              .anyMatch(e -> change.model().equals(e.model()) && change.alias().equals(e.alias()));
      if (follows) {
        apply(config, inference.endpoint(endpoint).map(RoutedEndpoint::configVersion).orElse(0L));
      }
    }
  }

  private EndpointConfig currentConfig(String endpoint) {
    return store
        .get(endpoint)
        .map(EndpointStore.Versioned::config)
        .orElse(
            defaultConfig != null && endpoint.equals(defaultConfig.name()) ? defaultConfig : null);
  }

  /** Loads what changed, publishes the endpoint, then closes entities it no longer has. */
  private void apply(EndpointConfig config, long version) {
    Map<String, Loaded> before = loaded.getOrDefault(config.name(), Map.of());
    var after = new LinkedHashMap<String, Loaded>();
    var unavailable = new HashMap<String, String>();
    boolean isDefault = version == 0;
    for (ServedEntity entity : config.entities()) {
      Loaded previous = before.get(entity.name());
      try {
        after.put(entity.name(), load(entity, previous, isDefault));
      } catch (RuntimeException e) {
        String why = e.getMessage();
        log.error(
            "Endpoint {} v{}: served entity {} ({}) cannot be served: {}",
            config.name(),
            version,
            entity.name(),
            entity.target(),
            why);
        if (previous != null) {
          after.put(entity.name(), previous);
        } else {
          unavailable.put(entity.name(), why);
        }
      }
    }
    var slots = new LinkedHashMap<String, ModelSlot>();
    after.forEach((name, l) -> slots.put(name, l.slot()));
    inference.publish(
        new RoutedEndpoint(
            config.name(),
            config.salt(),
            version,
            config.split(),
            slots,
            config.shadows().stream().map(ServedEntity::name).toList(),
            unavailable));
    loaded.put(config.name(), after);
    before.forEach(
        (name, l) -> {
          Loaded kept = after.get(name);
          if (kept == null || kept.slot() != l.slot()) {
            l.slot().close();
          }
        });
    log.info(
        "Endpoint {} v{} serves {}{}",
        config.name(),
        version,
        inference.endpoint(config.name()).map(RoutedEndpoint::experimentId).orElse("?"),
        unavailable.isEmpty() ? "" : "; unavailable: " + unavailable.keySet());
  }

  /**
   * The entity's slot: the previous one when it already serves the resolved version, the previous
   * one swapped to the new version when it moved, else a new slot.
   */
  private Loaded load(ServedEntity entity, Loaded previous, boolean isDefault) {
    Integer version = resolve(entity);
    if (version == null) {
      if (!isDefault) {
        throw new IllegalStateException(
            "alias " + entity.alias() + " of model " + entity.model() + " is not set");
      }
      // The seed endpoint before any model is registered.
      if (previous != null && previous.version() == null) {
        return previous;
      }
      ServedModel model = bootstrap.get();
      model =
          new ServedModel(
              entity.name(), model.modelName(), model.version(), model.features(), model.scorer());
      return new Loaded(entity, null, slotFor(model, previous));
    }
    String resolved = Integer.toString(version);
    if (previous != null && entity.equals(previous.spec()) && resolved.equals(previous.version())) {
      return previous;
    }
    return new Loaded(entity, resolved, slotFor(served(entity, version), previous));
  }

  private ModelSlot slotFor(ServedModel model, Loaded previous) {
    try {
      if (previous != null) {
        previous.slot().swap(model, features);
        return previous.slot();
      }
      return ModelSlot.of(model, features);
    } catch (RuntimeException e) {
      closeQuietly(model.scorer());
      throw e;
    }
  }

  private Integer resolve(ServedEntity entity) {
    if (entity.version() != null) {
      return entity.version();
    }
    return models
        .versionByAlias(entity.model(), entity.alias())
        .map(ModelVersion::version)
        .orElse(null);
  }

  private ServedModel served(ServedEntity entity, int version) {
    ModelVersion v =
        models
            .version(entity.model(), version)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "model " + entity.model() + " has no version " + version));
    FeatureService service =
        features
            .service(v.featureService())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "feature service " + v.featureService() + " is not defined here"));
    Scorer scorer =
        OnnxScorer.load(
            OrtEnvironment.getEnvironment(),
            models.artifact(entity.model(), version),
            entity.model() + " v" + version);
    return new ServedModel(
        entity.name(), entity.model(), Integer.toString(version), service, scorer);
  }

  private static void closeQuietly(Scorer scorer) {
    try {
      scorer.close();
    } catch (Exception e) {
      log.warn("Closing a scorer that could not be served failed", e);
    }
  }

  @Override
  public void close() {
    applier.shutdownNow();
  }
}
