package dev.tessera.features.offline;

import java.util.Map;

/**
 * One row of a label set: an entity key, the instant its features are wanted as of, its label, and
 * the request fields of on-demand features (e.g. {@code amount}), if any.
 *
 * <pre>{@code
 * var row = new LabelRow("C-1", Instant.parse("2026-11-01T00:00:00Z").toEpochMilli(), 1, Map.of());
 * }</pre>
 */
public record LabelRow(String key, long ts, int label, Map<String, Double> request) {
  public LabelRow {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("A label row needs a key");
    }
    request = Map.copyOf(request);
  }
}
