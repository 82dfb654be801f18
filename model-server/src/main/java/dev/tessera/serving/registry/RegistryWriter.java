package dev.tessera.serving.registry;

import dev.tessera.schemas.topic.Topic;
import dev.tessera.serving.control.Fencing;
import dev.tessera.serving.registry.ModelVersion.InputSignature;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * Writes to the registry: creates models, registers versions, moves and deletes aliases.
 *
 * <p><b>Concurrency.</b> Every write is one Kafka transaction of a producer whose {@code
 * transactional.id} is the same for every writer of the cluster ({@value #TRANSACTIONAL_ID}).
 * Starting it ({@code initTransactions}) fences any other writer, which then fails with {@link
 * RegistryException.Reason#CONFLICT} and writes nothing. Only then does this writer read the topic
 * to its end and check its request against the registry (version numbers, existing models and
 * versions), so the check and the write cannot interleave with another writer: this is a
 * compare-and-set. A version's chunks and its metadata commit together or not at all, and followers
 * read committed records only. A fenced writer tries again, up to 8 times after random, growing
 * pauses, before it reports the conflict.
 *
 * <pre>{@code
 * var writer = new RegistryWriter(registry, topics.registry(), clientProps, validator, clock);
 * ModelVersion v = writer.createVersion(new NewVersion("churn", "churn_v2", onnx, ...));
 * writer.setAlias("churn", "champion", v.version());
 * }</pre>
 *
 * <p>Validation ({@link ModelValidator}) runs before the transaction, so a refused model writes
 * nothing. Each call returns after the follower has read its own write back, so a read right after
 * sees it.
 */
public final class RegistryWriter {
  /** The one transactional id of every registry writer of a cluster. */
  public static final String TRANSACTIONAL_ID = "tessera-registry-writer";

  private static final Duration CATCH_UP = Duration.ofSeconds(30);
  private static final int MAX_ATTEMPTS = 8;

  private final ModelRegistry registry;
  private final Topic<String, byte[]> topic;
  private final Properties clientProps;
  private final ModelValidator validator;
  private final Clock clock;

  public RegistryWriter(
      ModelRegistry registry,
      Topic<String, byte[]> topic,
      Properties clientProps,
      ModelValidator validator,
      Clock clock) {
    this.registry = registry;
    this.topic = topic;
    this.clientProps = clientProps;
    this.validator = validator;
    this.clock = clock;
  }

  /**
   * Creates a registered model.
   *
   * @throws RegistryException ALREADY_EXISTS if it exists, INVALID for a bad name
   */
  public RegisteredModel createModel(String name, String description) {
    var model = new RegisteredModel(checked(name, "model name"), description, clock.millis());
    transact(
        () -> {
          if (registry.model(name).isPresent()) {
            throw new RegistryException(
                RegistryException.Reason.ALREADY_EXISTS, "Registered model " + name + " exists");
          }
          return List.of(new RegistryRecord.Model(model));
        });
    return model;
  }

  /**
   * Validates and registers a new version with the next number.
   *
   * @throws RegistryException INVALID if the artifact is refused (see {@link ModelValidator}),
   *     NOT_FOUND if the model does not exist and may not be created, CONFLICT on a concurrent
   *     write, UNAVAILABLE if Kafka cannot be reached
   */
  public ModelVersion createVersion(NewVersion request) {
    String name = checked(request.name(), "model name");
    byte[] artifact = request.artifact();
    InputSignature input =
        validator.validate(request.featureService(), artifact, "model " + name + " (new version)");
    String sha256 = ArtifactStore.sha256(artifact);
    List<byte[]> chunks = ArtifactStore.split(artifact);
    ModelVersion[] written = new ModelVersion[1];
    transact(
        new Plan() {
          @Override
          public List<RegistryRecord> records() {
            var records = new ArrayList<RegistryRecord>();
            long now = clock.millis();
            if (registry.model(name).isEmpty()) {
              if (!request.createModelIfAbsent()) {
                throw RegistryException.notFound(
                    "Registered model " + name + " does not exist; create it first");
              }
              records.add(new RegistryRecord.Model(new RegisteredModel(name, "", now)));
            }
            int number = registry.latestVersion(name) + 1;
            ModelVersion version;
            try {
              version =
                  new ModelVersion(
                      name,
                      number,
                      request.featureService(),
                      input,
                      sha256,
                      artifact.length,
                      chunks.size(),
                      request.description(),
                      request.params(),
                      request.metrics(),
                      request.dataFrom(),
                      request.dataTo(),
                      request.source(),
                      now,
                      request.trainingProfile());
            } catch (IllegalArgumentException e) {
              throw new RegistryException(RegistryException.Reason.INVALID, e.getMessage(), e);
            }
            for (int i = 0; i < chunks.size(); i++) {
              records.add(new RegistryRecord.Chunk(name, number, i, chunks.get(i)));
            }
            records.add(new RegistryRecord.Version(version)); // last: it names the chunks above
            written[0] = version;
            return records;
          }

          @Override
          public boolean landed() {
            return written[0] != null
                && registry
                    .version(name, written[0].version())
                    .filter(v -> v.artifactSha256().equals(sha256))
                    .isPresent();
          }
        });
    return written[0];
  }

  /**
   * Points {@code alias} of {@code name} at {@code version}, creating or moving it.
   *
   * @throws RegistryException NOT_FOUND if the model or version does not exist, INVALID for a
   *     reserved alias ({@code latest}, {@code v1}, ...)
   */
  public void setAlias(String name, String alias, int version) {
    checked(name, "model name");
    checked(alias, "alias");
    if (alias.equals("latest") || alias.matches("[vV]\\d+")) {
      throw RegistryException.invalid(
          "Alias '" + alias + "' is reserved (latest and v<number> name versions)");
    }
    transact(
        () -> {
          requireModel(name);
          if (registry.version(name, version).isEmpty()) {
            throw RegistryException.notFound(
                "Model " + name + " has no version " + version + " to alias as " + alias);
          }
          return List.of(new RegistryRecord.Alias(name, alias, version));
        });
  }

  /**
   * Deletes an alias.
   *
   * @throws RegistryException NOT_FOUND if the model or the alias does not exist
   */
  public void deleteAlias(String name, String alias) {
    checked(name, "model name");
    checked(alias, "alias");
    transact(
        () -> {
          requireModel(name);
          if (!registry.aliases(name).containsKey(alias)) {
            throw RegistryException.notFound("Model " + name + " has no alias " + alias);
          }
          return List.of(new RegistryRecord.Alias(name, alias, null));
        });
  }

  /**
   * Deletes a version and its artifact. Used to undo a registration whose follow-up failed (see
   * {@code dev.tessera.serving.retrain}); its number becomes free again.
   *
   * @throws RegistryException NOT_FOUND if the version does not exist, INVALID if an alias still
   *     points at it
   */
  public void deleteVersion(String name, int version) {
    checked(name, "model name");
    transact(
        () -> {
          requireModel(name);
          ModelVersion existing =
              registry
                  .version(name, version)
                  .orElseThrow(
                      () ->
                          RegistryException.notFound(
                              "Model " + name + " has no version " + version + " to delete"));
          var aliased =
              registry.aliases(name).entrySet().stream()
                  .filter(e -> e.getValue() == version)
                  .map(Map.Entry::getKey)
                  .toList();
          if (!aliased.isEmpty()) {
            throw RegistryException.invalid(
                "Version "
                    + version
                    + " of "
                    + name
                    + " is aliased as "
                    + aliased
                    + "; move them first");
          }
          var records = new ArrayList<RegistryRecord>();
          records.add(RegistryRecord.Tombstone.ofVersion(name, version));
          for (int i = 0; i < existing.chunkCount(); i++) {
            records.add(RegistryRecord.Tombstone.ofChunk(name, version, i));
          }
          return records;
        });
  }

  private void requireModel(String name) {
    if (registry.model(name).isEmpty()) {
      throw RegistryException.notFound("Registered model " + name + " does not exist");
    }
  }

  private static String checked(String name, String what) {
    try {
      return RegistryRecord.checkName(name, what);
    } catch (IllegalArgumentException e) {
      throw RegistryException.invalid(e.getMessage());
    }
  }

  /** Decides what to write after fencing other writers and reading the registry to its end. */
  @FunctionalInterface
  private interface Plan {
    List<RegistryRecord> records();

    /**
     * Whether the records are in the registry already: after a commit whose outcome the broker did
     * not report. Writes that set a value (aliases) may simply be written again.
     */
    default boolean landed() {
      return false;
    }
  }

  /**
   * Writes {@code plan}, trying again after a random, growing pause when another writer fenced this
   * one: two writers retrying at once would otherwise keep fencing each other.
   */
  private synchronized void transact(Plan plan) {
    for (int attempt = 1; ; attempt++) {
      try {
        transactOnce(plan);
        return;
      } catch (RegistryException e) {
        if (e.reason() != RegistryException.Reason.CONFLICT || attempt == MAX_ATTEMPTS) {
          throw e;
        }
        long maxPauseMillis = Math.min(1_000, 20L << attempt);
        LockSupport.parkNanos(
            TimeUnit.MILLISECONDS.toNanos(ThreadLocalRandom.current().nextLong(1, maxPauseMillis)));
      }
    }
  }

  // One write at a time per process (transact is synchronized): a second would fence the first.
  private void transactOnce(Plan plan) {
    var props = new Properties();
    props.putAll(clientProps);
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TRANSACTIONAL_ID);
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "tessera-registry-writer");
    try (var producer =
        new KafkaProducer<>(
            props, topic.keySerde().serializer(), topic.valueSerde().serializer())) {
      producer.initTransactions(); // fences every other registry writer
      registry.awaitCaughtUp(CATCH_UP);
      List<RegistryRecord> records = plan.records();
      producer.beginTransaction();
      try {
        for (RegistryRecord record : records) {
          producer.send(new ProducerRecord<>(topic.name(), 0, record.key(), record.value()));
        }
        producer.commitTransaction(); // flushes; fails if any send failed
      } catch (KafkaException e) {
        if (Fencing.fenced(e)) {
          throw e; // the fencing writer's initTransactions has aborted our transaction
        }
        // An open transaction would hold every follower's read_committed position back.
        try {
          producer.abortTransaction();
        } catch (KafkaException abort) {
          e.addSuppressed(abort);
        }
        // A commit racing another writer's fence can fail with an unexpected broker error
        // whatever became of it: if the write is not there once caught up, try it again.
        registry.awaitCaughtUp(CATCH_UP);
        if (plan.landed()) {
          return;
        }
        throw new RegistryException(
            RegistryException.Reason.CONFLICT,
            "The registry write could not be committed ("
                + e.getMessage()
                + "); nothing was written",
            e);
      }
    } catch (KafkaException e) {
      if (Fencing.fenced(e)) {
        throw new RegistryException(
            RegistryException.Reason.CONFLICT,
            "Another registry write ran at the same time; nothing was written, retry",
            e);
      }
      throw new RegistryException(
          RegistryException.Reason.UNAVAILABLE,
          "Writing to the registry topic " + topic.name() + " failed: " + e.getMessage(),
          e);
    }
    registry.awaitCaughtUp(CATCH_UP); // read our own write back
  }
}
