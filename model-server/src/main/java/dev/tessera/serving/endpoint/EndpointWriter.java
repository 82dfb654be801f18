package dev.tessera.serving.endpoint;

import dev.tessera.schemas.topic.Topic;
import dev.tessera.serving.control.Fencing;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ConcurrentModificationException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Stores endpoint configs on the endpoints topic with the next version number. Every write is one
 * transaction of the cluster-wide transactional id {@value #TRANSACTIONAL_ID}: starting it fences
 * any other writer; only then does the writer read the topic to its end and number the config, so
 * two writers never give one endpoint the same version. A config is validated against the model
 * registry first: a refused config writes nothing.
 *
 * <pre>{@code
 * var writer = new EndpointWriter(store, topics.endpoints(), clientProps, clock);
 * EndpointStore.Versioned v = writer.put(config, models);  // v.version() == 1, then 2, ...
 * writer.delete("churn");
 * }</pre>
 */
public final class EndpointWriter {
  public static final String TRANSACTIONAL_ID = "tessera-endpoints-writer";
  private static final Duration CATCH_UP = Duration.ofSeconds(30);

  private final EndpointStore store;
  private final Topic<String, byte[]> topic;
  private final Properties clientProps;
  private final Clock clock;

  public EndpointWriter(
      EndpointStore store, Topic<String, byte[]> topic, Properties clientProps, Clock clock) {
    this.store = store;
    this.topic = topic;
    this.clientProps = clientProps;
    this.clock = clock;
  }

  /** Who asked for a change and why, for its audit entry. */
  public record Request(
      String actor, AuditEntry.Action action, String reason, Map<String, String> details) {
    public static Request of(String actor, String reason) {
      return new Request(actor, null, reason, Map.of());
    }
  }

  /**
   * Stores {@code config} as its endpoint's next version, with an audit entry (CREATE or UPDATE
   * unless the request names another action), and returns it once this node's store has read it.
   *
   * @throws IllegalArgumentException if a served entity refers to what the registry does not have
   */
  public EndpointStore.Versioned put(
      EndpointConfig config, EndpointConfig.Models models, Request request) {
    config.validate(models);
    return write(config.name(), config, null, request);
  }

  /** {@link #put(EndpointConfig, EndpointConfig.Models, Request)} by an unnamed actor. */
  public EndpointStore.Versioned put(EndpointConfig config, EndpointConfig.Models models) {
    return put(config, models, Request.of("api", "config stored"));
  }

  /**
   * Stores {@code config} only if the endpoint's current version is still {@code expectedVersion}:
   * for automatic changes decided on what a node saw, so two nodes deciding at once act once.
   *
   * @throws ConcurrentModificationException if the config changed meanwhile
   */
  public EndpointStore.Versioned replace(
      EndpointConfig config, long expectedVersion, EndpointConfig.Models models, Request request) {
    config.validate(models);
    return write(config.name(), config, expectedVersion, request);
  }

  /**
   * Deletes an endpoint's config.
   *
   * @throws IllegalArgumentException if the endpoint has none
   */
  public void delete(String endpoint, Request request) {
    write(endpoint, null, null, request);
  }

  /** {@link #delete(String, Request)} by an unnamed actor. */
  public void delete(String endpoint) {
    delete(endpoint, Request.of("api", "endpoint deleted"));
  }

  /**
   * Writes an audit entry only, the config unchanged: a decision that changed nothing (a candidate
   * stopped at a gate) is kept with its figures too.
   *
   * @throws IllegalArgumentException if the request names no action
   */
  public void record(String endpoint, Request request) {
    if (request.action() == null) {
      throw new IllegalArgumentException("An audit-only entry needs an action");
    }
    Fencing.retry(() -> transact(endpoint, request, current -> true));
  }

  /**
   * Takes {@code claim} for the caller if no one has: the claim is an audit entry written in a
   * fenced transaction after reading the topic to its end, so of several nodes claiming at once
   * exactly one succeeds.
   *
   * @return whether this caller holds the claim now
   */
  public boolean claim(String endpoint, String claim, String actor, Map<String, String> details) {
    var all = new LinkedHashMap<>(details);
    all.put(AuditEntry.CLAIM, claim);
    var request = new Request(actor, AuditEntry.Action.RETRAIN_CLAIMED, "claimed " + claim, all);
    return Fencing.retry(() -> transact(endpoint, request, current -> !store.claimed(claim)));
  }

  private boolean transact(
      String endpoint, Request request, Predicate<Optional<EndpointStore.Versioned>> proceed) {
    try (var producer = producer()) {
      producer.initTransactions();
      store.awaitCaughtUp(CATCH_UP);
      var current = store.get(endpoint);
      if (!proceed.test(current)) {
        return false;
      }
      Instant now = clock.instant();
      var audit =
          new AuditEntry(
              endpoint,
              request.action(),
              now,
              request.actor(),
              current.map(EndpointStore.Versioned::version).orElse(0L),
              request.reason(),
              request.details());
      producer.beginTransaction();
      producer.send(
          new ProducerRecord<>(
              topic.name(), audit.key(UUID.randomUUID().toString()), audit.encode()));
      producer.commitTransaction();
      store.awaitCaughtUp(CATCH_UP);
      return true;
    }
  }

  private KafkaProducer<String, byte[]> producer() {
    var props = new Properties();
    props.putAll(clientProps);
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TRANSACTIONAL_ID);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "tessera-endpoints-writer");
    return new KafkaProducer<>(
        props, topic.keySerde().serializer(), topic.valueSerde().serializer());
  }

  /** Writes once more when another writer fenced this one: it wrote nothing. */
  private EndpointStore.Versioned write(
      String endpoint, EndpointConfig config, Long expectedVersion, Request request) {
    return Fencing.retry(() -> writeOnce(endpoint, config, expectedVersion, request));
  }

  private EndpointStore.Versioned writeOnce(
      String endpoint, EndpointConfig config, Long expectedVersion, Request request) {
    try (var producer = producer()) {
      producer.initTransactions();
      store.awaitCaughtUp(CATCH_UP);
      var current = store.get(endpoint);
      if (config == null && current.isEmpty()) {
        throw new IllegalArgumentException("Endpoint " + endpoint + " does not exist");
      }
      long currentVersion = current.map(EndpointStore.Versioned::version).orElse(0L);
      if (expectedVersion != null && expectedVersion != currentVersion) {
        throw new ConcurrentModificationException(
            "Endpoint "
                + endpoint
                + " is at config version "
                + currentVersion
                + ", not "
                + expectedVersion
                + "; nothing written");
      }
      Instant now = clock.instant();
      EndpointStore.Versioned next =
          config == null ? null : new EndpointStore.Versioned(config, currentVersion + 1, now);
      AuditEntry.Action action =
          request.action() != null
              ? request.action()
              : config == null
                  ? AuditEntry.Action.DELETE
                  : current.isEmpty() ? AuditEntry.Action.CREATE : AuditEntry.Action.UPDATE;
      var audit =
          new AuditEntry(
              endpoint,
              action,
              now,
              request.actor(),
              next == null ? 0 : next.version(),
              request.reason(),
              request.details());
      producer.beginTransaction();
      producer.send(
          new ProducerRecord<>(
              topic.name(), endpoint, next == null ? null : EndpointStore.encode(next)));
      producer.send(
          new ProducerRecord<>(
              topic.name(), audit.key(UUID.randomUUID().toString()), audit.encode()));
      producer.commitTransaction();
      store.awaitCaughtUp(CATCH_UP);
      return next;
    }
  }
}
