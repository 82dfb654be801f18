package dev.tessera.serving.inference;

import java.util.Map;
import java.util.Objects;

/**
 * One row of an invocation, as every request format is parsed: either a lookup key with request
 * fields for on-demand features (features are read from the online store), or a full feature vector
 * in the model's input order (scored as given, no lookup).
 *
 * <pre>{@code
 * InvocationRow.lookup("C-1", Map.of("amount", 250.0));
 * InvocationRow.vector("C-1", new float[] {3f, 2f}); // key optional: null
 * }</pre>
 *
 * @param key entity key; required for a lookup, optional (logging only) for a full vector
 * @param request request fields for on-demand features (unused fields are ignored)
 * @param features the model inputs, or null to look them up
 */
public record InvocationRow(String key, Map<String, Double> request, float[] features) {

  public InvocationRow {
    request = request == null ? Map.of() : request;
    if (features == null) {
      Objects.requireNonNull(key, "a lookup row needs a key");
    }
  }

  public static InvocationRow lookup(String key, Map<String, Double> request) {
    return new InvocationRow(key, request, null);
  }

  public static InvocationRow vector(String key, float[] features) {
    return new InvocationRow(key, Map.of(), Objects.requireNonNull(features, "features"));
  }

  /** Whether this row's features come from the online store. */
  public boolean isLookup() {
    return features == null;
  }
}
