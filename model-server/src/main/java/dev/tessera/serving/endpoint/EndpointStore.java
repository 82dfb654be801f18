package dev.tessera.serving.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tessera.schemas.topic.Topic;
import dev.tessera.serving.control.ControlTopicFollower;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every node's view of the endpoint configs on the compacted {@code tessera-endpoints} topic (one
 * partition, key = endpoint name, value = JSON of the config with its version, null = deleted):
 * read from the beginning, committed records only, and followed, so every node converges on the
 * same configs and a restart loses none.
 *
 * <pre>{@code
 * try (EndpointStore store = EndpointStore.follow(topics.endpoints(), clientProps)) {
 *   store.awaitCaughtUp(Duration.ofSeconds(30));
 *   store.onChange(change -> ...);
 *   Optional<EndpointStore.Versioned> churn = store.get("churn");
 * }
 * }</pre>
 */
public final class EndpointStore implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EndpointStore.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A config with the version it was stored as (1, 2, ... per endpoint) and when. */
  public record Versioned(EndpointConfig config, long version, Instant updatedAt) {}

  /**
   * An endpoint's config was created, replaced ({@code previous} set) or deleted (null current).
   */
  public record Change(String endpoint, Versioned previous, Versioned current) {}

  private static final int AUDIT_KEPT = 200;
  private final Map<String, Versioned> configs = new TreeMap<>();
  private final Map<String, Deque<AuditEntry>> audits = new HashMap<>();
  private final Set<String> claims = new HashSet<>();
  private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();
  private ControlTopicFollower follower;

  private EndpointStore() {}

  /** Starts following the endpoints topic, which must exist (a node's pipeline creates it). */
  public static EndpointStore follow(Topic<String, byte[]> topic, Properties clientProps) {
    var store = new EndpointStore();
    store.follower =
        ControlTopicFollower.startBatched(topic, clientProps, "endpoints", store::apply);
    return store;
  }

  /** Waits until every record committed before this call has been applied. */
  public void awaitCaughtUp(Duration timeout) {
    try {
      follower.awaitCaughtUp(timeout);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "The endpoints topic could not be read to its end within " + timeout, e);
    }
  }

  public synchronized Optional<Versioned> get(String endpoint) {
    return Optional.ofNullable(configs.get(endpoint));
  }

  /** Every endpoint's config, by name. */
  public synchronized List<Versioned> all() {
    return List.copyOf(configs.values());
  }

  /** The endpoint's last changes (at most 200), oldest first. */
  /** Whether a {@link AuditEntry.Action#RETRAIN_CLAIMED} entry names {@code claim}. */
  public synchronized boolean claimed(String claim) {
    return claims.contains(claim);
  }

  public synchronized List<AuditEntry> audit(String endpoint) {
    return List.copyOf(audits.getOrDefault(endpoint, new ArrayDeque<>()));
  }

  /** Calls {@code listener} on the follower thread for every later change, in topic order. */
  public void onChange(Consumer<Change> listener) {
    listeners.add(listener);
  }

  static byte[] encode(Versioned v) {
    ObjectNode node = JSON.createObjectNode();
    node.set("config", EndpointConfigJson.toJson(v.config()));
    node.put("config_version", v.version());
    node.put("updated_at", v.updatedAt().toString());
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Versioned decode(String endpoint, byte[] value) {
    try {
      JsonNode node = JSON.readTree(value);
      return new Versioned(
          EndpointConfigJson.parse(endpoint, node.get("config")),
          node.get("config_version").asLong(),
          Instant.parse(node.get("updated_at").asText()));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "Not an endpoint config record for " + endpoint + ": " + e.getMessage(), e);
    }
  }

  /**
   * Applies one poll's records under one lock: a config and the audit entry written in its
   * transaction become visible together, so a reader that sees the new config version also sees why
   * it changed. Listeners hear of the changes afterwards, in topic order.
   */
  private void apply(List<ConsumerRecord<String, byte[]>> records) {
    var changes = new ArrayList<Change>();
    synchronized (this) {
      for (ConsumerRecord<String, byte[]> record : records) {
        if (AuditEntry.endpointOf(record.key()) != null) {
          applyAudit(record);
        } else {
          Change change = applyConfig(record);
          if (change != null) {
            changes.add(change);
          }
        }
      }
    }
    for (Change change : changes) {
      for (Consumer<Change> listener : listeners) {
        try {
          listener.accept(change);
        } catch (RuntimeException e) {
          log.warn("Endpoint listener failed on {}", change, e);
        }
      }
    }
  }

  /** The change a config record makes, or null for a record that is skipped. */
  private Change applyConfig(ConsumerRecord<String, byte[]> record) {
    Versioned current;
    try {
      current = record.value() == null ? null : decode(record.key(), record.value());
    } catch (IllegalArgumentException e) {
      log.warn("Skipping endpoints record at offset {}: {}", record.offset(), e.getMessage());
      return null;
    }
    Versioned previous =
        current == null ? configs.remove(record.key()) : configs.put(record.key(), current);
    return new Change(record.key(), previous, current);
  }

  private void applyAudit(ConsumerRecord<String, byte[]> record) {
    if (record.value() == null) {
      return;
    }
    try {
      AuditEntry entry = AuditEntry.decode(record.value());
      Deque<AuditEntry> list = audits.computeIfAbsent(entry.endpoint(), e -> new ArrayDeque<>());
      list.addLast(entry);
      if (entry.action() == AuditEntry.Action.RETRAIN_CLAIMED) {
        claims.add(entry.details().get(AuditEntry.CLAIM));
      }
      if (list.size() > AUDIT_KEPT) {
        list.removeFirst();
      }
    } catch (IllegalArgumentException e) {
      log.warn("Skipping audit record at offset {}: {}", record.offset(), e.getMessage());
    }
  }

  @Override
  public void close() {
    follower.close();
  }
}
