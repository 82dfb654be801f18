package dev.tessera.features.definition;

import java.util.Objects;

/**
 * An aggregation of one field of a source's events over a window.
 *
 * <pre>{@code
 * new AggregateFeature("orders_30d", "orders", Aggregation.COUNT, null, null,
 *     FeatureWindow.sliding(Duration.ofDays(30)), 0.0, 0);
 * }</pre>
 *
 * @param name feature name
 * @param source topic of the view's source the events come from
 * @param aggregation how events are folded
 * @param field event field aggregated; null for COUNT
 * @param where only events matching this filter count; null for all
 * @param window lifetime or a sliding window
 * @param defaultValue value when no event is in the window
 * @param distinctExactLimit COUNT_DISTINCT only: distinct values counted exactly up to this many,
 *     estimated with an HLL sketch beyond; 0 for other aggregations
 */
public record AggregateFeature(
    String name,
    String source,
    Aggregation aggregation,
    String field,
    EventFilter where,
    FeatureWindow window,
    double defaultValue,
    int distinctExactLimit)
    implements FeatureDefinition {

  /** Distinct values counted exactly when a COUNT_DISTINCT feature declares no bound. */
  public static final int DEFAULT_DISTINCT_EXACT_LIMIT = 1000;

  public AggregateFeature {
    Names.requireValid(name, "feature");
    Objects.requireNonNull(source, "source of " + name);
    Objects.requireNonNull(aggregation, "aggregation of " + name);
    Objects.requireNonNull(window, "window of " + name);
    if (aggregation.needsField() && (field == null || field.isBlank())) {
      throw new IllegalArgumentException(
          "Feature " + name + ": " + aggregation.name().toLowerCase() + " needs a field");
    }
    if (!aggregation.needsField() && field != null) {
      throw new IllegalArgumentException("Feature " + name + ": count takes no field");
    }
    if (aggregation == Aggregation.COUNT_DISTINCT) {
      if (distinctExactLimit < 1) {
        throw new IllegalArgumentException(
            "Feature " + name + ": the exact limit of count_distinct must be at least 1");
      }
    } else if (distinctExactLimit != 0) {
      throw new IllegalArgumentException(
          "Feature " + name + ": only count_distinct takes an exact limit");
    }
  }

  /** A count of the source's events; 0 when there are none. */
  public static AggregateFeature count(String name, String source, FeatureWindow window) {
    return new AggregateFeature(name, source, Aggregation.COUNT, null, null, window, 0.0, 0);
  }

  /** This feature counting only the events that match {@code filter}. */
  public AggregateFeature where(EventFilter filter) {
    return new AggregateFeature(
        name, source, aggregation, field, filter, window, defaultValue, distinctExactLimit);
  }
}
