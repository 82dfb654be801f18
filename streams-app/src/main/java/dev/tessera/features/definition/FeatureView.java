package dev.tessera.features.definition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A declared set of features computed from one source topic, per entity key.
 *
 * <pre>{@code
 * FeatureView view = FeatureView.builder("customer_churn")
 *     .source("orders", "customer_id", "order_ts")
 *     .feature(FeatureDefinition.count("total_orders", FeatureWindow.lifetime()))
 *     .feature(FeatureDefinition.count("orders_30d", FeatureWindow.sliding(Duration.ofDays(30))))
 *     .build();
 * }</pre>
 *
 * @param name view name, used in store names and the lookup API
 * @param sourceTopic topic the events come from, keyed by the entity key
 * @param entityKey field of the event that holds the entity key (must equal the record key)
 * @param eventTime field of the event that holds its event time
 * @param features the features, in declaration order
 */
public record FeatureView(
    String name,
    String sourceTopic,
    String entityKey,
    String eventTime,
    List<FeatureDefinition> features) {

  public FeatureView {
    Names.requireValid(name, "view");
    Objects.requireNonNull(sourceTopic, "sourceTopic of " + name);
    Objects.requireNonNull(entityKey, "entityKey of " + name);
    Objects.requireNonNull(eventTime, "eventTime of " + name);
    features = List.copyOf(features);
    if (features.isEmpty()) {
      throw new IllegalArgumentException("View " + name + " declares no features");
    }
    var seen = new HashSet<String>();
    for (FeatureDefinition f : features) {
      if (!seen.add(f.name())) {
        throw new IllegalArgumentException("View " + name + " declares " + f.name() + " twice");
      }
    }
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** The feature with this name, if the view has it. */
  public Optional<FeatureDefinition> feature(String featureName) {
    return features.stream().filter(f -> f.name().equals(featureName)).findFirst();
  }

  /**
   * Sliding-window features grouped by tile size, in declaration order: all features of a group
   * share one store whose record per tile holds every feature's partial aggregate.
   */
  public Map<Duration, List<FeatureDefinition>> slidingFeaturesByTile() {
    var groups = new LinkedHashMap<Duration, List<FeatureDefinition>>();
    for (FeatureDefinition f : features) {
      if (!f.window().isLifetime()) {
        groups.computeIfAbsent(f.window().tile(), t -> new ArrayList<>()).add(f);
      }
    }
    return groups;
  }

  /** Lifetime features, in declaration order. */
  public List<FeatureDefinition> lifetimeFeatures() {
    return features.stream().filter(f -> f.window().isLifetime()).toList();
  }

  /**
   * How late an event may arrive and still be applied: the longest sliding window, so that loading
   * history into a live pipeline still counts. Lifetime aggregates accept any age.
   */
  public Duration grace() {
    return features.stream()
        .filter(f -> !f.window().isLifetime())
        .map(f -> f.window().length())
        .max(Duration::compareTo)
        .orElse(Duration.ZERO);
  }

  /** Fluent construction of a view. */
  public static final class Builder {
    private final String name;
    private String sourceTopic;
    private String entityKey;
    private String eventTime;
    private final List<FeatureDefinition> features = new ArrayList<>();

    private Builder(String name) {
      this.name = name;
    }

    public Builder source(String topic, String entityKeyField, String eventTimeField) {
      this.sourceTopic = topic;
      this.entityKey = entityKeyField;
      this.eventTime = eventTimeField;
      return this;
    }

    public Builder feature(FeatureDefinition feature) {
      features.add(feature);
      return this;
    }

    public FeatureView build() {
      return new FeatureView(name, sourceTopic, entityKey, eventTime, features);
    }
  }
}
