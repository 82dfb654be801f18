package dev.tessera.features.definition;

import java.util.Objects;

/**
 * One feature of a view: an aggregation over a window, with the value served when a key has no
 * data.
 *
 * <pre>{@code
 * FeatureDefinition.count("orders_30d", FeatureWindow.sliding(Duration.ofDays(30)));
 * }</pre>
 *
 * @param name feature name, unique within its view
 * @param aggregation how events are folded
 * @param window the span aggregated over
 * @param defaultValue value served for a key with no events in the window
 */
public record FeatureDefinition(
    String name, Aggregation aggregation, FeatureWindow window, double defaultValue) {

  public FeatureDefinition {
    Names.requireValid(name, "feature");
    Objects.requireNonNull(aggregation, "aggregation of " + name);
    Objects.requireNonNull(window, "window of " + name);
  }

  /** A count of events; 0 when there are none. */
  public static FeatureDefinition count(String name, FeatureWindow window) {
    return new FeatureDefinition(name, Aggregation.COUNT, window, 0.0);
  }
}
