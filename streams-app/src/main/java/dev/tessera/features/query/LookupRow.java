package dev.tessera.features.query;

import java.util.Map;
import java.util.Objects;

/**
 * One key to look up, with the request fields its on-demand features use.
 *
 * @param key entity key
 * @param request request fields such as amount, lat, lon; empty when none
 */
public record LookupRow(String key, Map<String, Double> request) {
  public LookupRow {
    Objects.requireNonNull(key, "key");
    request = Map.copyOf(request);
  }

  public static LookupRow of(String key) {
    return new LookupRow(key, Map.of());
  }
}
