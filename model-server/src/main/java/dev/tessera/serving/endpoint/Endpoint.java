package dev.tessera.serving.endpoint;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * A serving endpoint: a name callers invoke and the model that answers, with the salt of its sticky
 * traffic assignment.
 *
 * <pre>{@code
 * Endpoint churn = new Endpoint("churn", "churn", 1, servedModel);
 * int bucket = churn.bucket("C-1"); // 0..9999, the same on every node and after restarts
 * }</pre>
 *
 * @param name endpoint name used in URLs
 * @param salt experiment salt mixed into the assignment hash
 * @param configVersion version of the endpoint config
 * @param served the model that scores requests
 */
public record Endpoint(String name, String salt, long configVersion, ServedModel served) {
  public static final int BUCKETS = 10_000;

  /** Sticky, deterministic bucket of an entity key: murmur2(salt + ':' + key) mod 10000. */
  public int bucket(String entityKey) {
    return bucket(salt, entityKey);
  }

  /** The bucket of {@code entityKey} under {@code salt}, the same on every node and JVM. */
  public static int bucket(String salt, String entityKey) {
    byte[] bytes = (salt + ':' + entityKey).getBytes(StandardCharsets.UTF_8);
    return Utils.toPositive(Utils.murmur2(bytes)) % BUCKETS;
  }
}
