package dev.tessera.serving.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One change of an endpoint, kept on the endpoints topic beside its config (same transaction), so
 * every node can say who changed what, when and why: created, updated, deleted, promoted, rolled
 * back, or pulled back by a guardrail with the figures that broke it.
 *
 * <pre>{@code
 * new AuditEntry("churn", Action.GUARDRAIL_ROLLBACK, now, "node 127.0.0.1:8080", 7,
 *     "challenger error rate 0.31 > champion 0.00 + 0.01", Map.of("errors", "31"));
 * }</pre>
 *
 * @param endpoint endpoint name
 * @param action what happened
 * @param at when
 * @param actor who: {@code rest}, {@code cli}, or the node that acted
 * @param configVersion the config version the change produced (0 for a delete)
 * @param reason a sentence for people
 * @param details figures and versions, as text
 */
public record AuditEntry(
    String endpoint,
    Action action,
    Instant at,
    String actor,
    long configVersion,
    String reason,
    Map<String, String> details) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Topic keys of audit entries start with this; config keys are bare endpoint names. */
  public static final String KEY_PREFIX = "audit:";

  public enum Action {
    CREATE,
    UPDATE,
    DELETE,
    PROMOTE,
    ROLLBACK,
    GUARDRAIL_ROLLBACK,
    /** A node took a scheduled retraining cycle; details name the {@code claim}. */
    RETRAIN_CLAIMED,
    /** A retrained candidate passed the gates and takes a share of the traffic as challenger. */
    RETRAIN_CHALLENGER,
    /** A retrained candidate was stopped at a quality gate. */
    RETRAIN_REJECTED,
    /** A retraining cycle failed; its writes were undone. */
    RETRAIN_FAILED,
    /** The experiment of a retrained challenger said promote. */
    AUTO_PROMOTE,
    /** A retrained challenger was taken out of the endpoint. */
    RETIRE
  }

  /** The detail naming the claim of a {@link Action#RETRAIN_CLAIMED} entry. */
  public static final String CLAIM = "claim";

  public AuditEntry {
    details = Map.copyOf(details);
  }

  /** Key on the endpoints topic: unique, so compaction keeps every entry. */
  String key(String unique) {
    return KEY_PREFIX + endpoint + ":" + at.toEpochMilli() + ":" + unique;
  }

  /** The endpoint an audit key belongs to, or null for a config key. */
  static String endpointOf(String key) {
    if (!key.startsWith(KEY_PREFIX)) {
      return null;
    }
    int end = key.indexOf(':', KEY_PREFIX.length());
    return end < 0 ? null : key.substring(KEY_PREFIX.length(), end);
  }

  public ObjectNode toJson() {
    ObjectNode node = JSON.createObjectNode();
    node.put("endpoint", endpoint);
    node.put("action", action.name());
    node.put("at", at.toString());
    node.put("actor", actor);
    node.put("config_version", configVersion);
    node.put("reason", reason);
    ObjectNode d = node.putObject("details");
    details.forEach(d::put);
    return node;
  }

  byte[] encode() {
    try {
      return JSON.writeValueAsBytes(toJson());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static AuditEntry decode(byte[] value) {
    try {
      JsonNode node = JSON.readTree(value);
      var details = new LinkedHashMap<String, String>();
      JsonNode d = node.get("details");
      d.fieldNames().forEachRemaining(f -> details.put(f, d.get(f).asText()));
      return new AuditEntry(
          node.get("endpoint").asText(),
          Action.valueOf(node.get("action").asText()),
          Instant.parse(node.get("at").asText()),
          node.get("actor").asText(),
          node.get("config_version").asLong(),
          node.get("reason").asText(),
          details);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("Not an audit record: " + e.getMessage(), e);
    }
  }
}
