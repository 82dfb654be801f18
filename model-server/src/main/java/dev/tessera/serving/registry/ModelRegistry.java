package dev.tessera.serving.registry;

import dev.tessera.schemas.topic.Topic;
import dev.tessera.serving.control.ControlTopicFollower;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry as this process sees it: a consumer reads the {@code tessera-registry} topic from
 * its beginning (committed records only) and keeps following it, so every node converges on the
 * same models, versions and aliases, and a restarted node rebuilds them.
 *
 * <pre>{@code
 * try (ModelRegistry registry = ModelRegistry.follow(topics.registry(), clientProps)) {
 *   registry.awaitCaughtUp(Duration.ofSeconds(30));   // everything written before now is here
 *   registry.onAliasChange(change -> log.info("{} moved", change));
 *   Optional<ModelVersion> champion = registry.versionByAlias("churn", "champion");
 * }
 * }</pre>
 *
 * <p>Reads are thread-safe. Alias listeners run on the follower's thread, in topic order, for every
 * change read after they were added (during start-up replay too, if added before {@link
 * #awaitCaughtUp}); they must return quickly and not call back into a {@link RegistryWriter}.
 * Loading and swapping the model an endpoint serves when {@code champion} moves is meant to hang
 * from this hook; nothing does so yet.
 */
public final class ModelRegistry implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);

  private final RegistryState state = new RegistryState();
  private final List<Consumer<AliasChange>> listeners = new CopyOnWriteArrayList<>();
  private ControlTopicFollower follower;

  private ModelRegistry() {}

  /**
   * Starts following the registry topic (one partition, read from the beginning). The topic must
   * exist; a node's pipeline creates it.
   */
  public static ModelRegistry follow(Topic<String, byte[]> topic, Properties clientProps) {
    var registry = new ModelRegistry();
    registry.follower = ControlTopicFollower.start(topic, clientProps, "registry", registry::apply);
    return registry;
  }

  /**
   * Waits until every record committed to the topic before this call has been applied.
   *
   * @throws RegistryException (UNAVAILABLE) if that takes longer than {@code timeout}
   * @throws IllegalStateException if the follower has failed or is closed
   */
  public void awaitCaughtUp(Duration timeout) {
    try {
      follower.awaitCaughtUp(timeout);
    } catch (TimeoutException e) {
      throw new RegistryException(
          RegistryException.Reason.UNAVAILABLE,
          "The registry topic "
              + follower.topic()
              + " could not be read to its end within "
              + timeout,
          e);
    }
  }

  /** Calls {@code listener} on every later alias move, addition or deletion (see class doc). */
  public void onAliasChange(Consumer<AliasChange> listener) {
    listeners.add(listener);
  }

  public synchronized Optional<RegisteredModel> model(String name) {
    return state.model(name);
  }

  /** Every registered model, sorted by name. */
  public synchronized List<RegisteredModel> models() {
    return state.models();
  }

  /** The versions of a model, oldest first; empty if there is no such model. */
  public synchronized List<ModelVersion> versions(String name) {
    return state.versions(name);
  }

  public synchronized Optional<ModelVersion> version(String name, int version) {
    return state.version(name, version);
  }

  /** The model's aliases and the versions they point at. */
  public synchronized Map<String, Integer> aliases(String name) {
    return state.aliases(name);
  }

  /** The version an alias points at, if both exist. */
  public synchronized Optional<ModelVersion> versionByAlias(String name, String alias) {
    Integer version = state.aliases(name).get(alias);
    return version == null ? Optional.empty() : state.version(name, version);
  }

  /** The highest version number of a model; 0 if it has none. */
  public synchronized int latestVersion(String name) {
    return state.latestVersion(name);
  }

  /**
   * The ONNX bytes of a version, reassembled from its chunks and checked against its sha256.
   *
   * @throws RegistryException (NOT_FOUND) if there is no such version
   * @throws IllegalStateException if a chunk is missing or the bytes are corrupt
   */
  public synchronized byte[] artifact(String name, int version) {
    return state
        .artifact(name, version)
        .orElseThrow(
            () -> RegistryException.notFound("Model " + name + " has no version " + version));
  }

  private void apply(ConsumerRecord<String, byte[]> record) {
    RegistryRecord decoded;
    try {
      decoded = RegistryRecord.decode(record.key(), record.value());
    } catch (IllegalArgumentException e) {
      log.warn("Skipping registry record at offset {}: {}", record.offset(), e.getMessage());
      return;
    }
    Optional<AliasChange> change;
    synchronized (this) {
      change = state.apply(decoded);
    }
    change.ifPresent(this::notifyListeners);
  }

  private void notifyListeners(AliasChange change) {
    for (Consumer<AliasChange> listener : listeners) {
      try {
        listener.accept(change);
      } catch (RuntimeException e) {
        log.warn("Alias listener failed on {}", change, e);
      }
    }
  }

  @Override
  public void close() {
    follower.close();
  }
}
