package dev.tessera.features.definition;

import java.util.List;

/**
 * One feature of a view. Stored features are computed by the topology from events ({@link
 * AggregateFeature}, {@link SessionFeature}); the others are computed at lookup time from the
 * customer row ({@link ProfileFeature}), request fields and stored values ({@link
 * OnDemandFeature}), or another entity's view ({@link RelatedFeature}).
 */
public sealed interface FeatureDefinition
    permits AggregateFeature, SessionFeature, ProfileFeature, OnDemandFeature, RelatedFeature {

  /** Feature name, unique within its view. */
  String name();

  /** Value served when there is no data for the feature. */
  double defaultValue();

  /**
   * The numeric columns this feature produces, in order: its own name, except for one-hot
   * categorical features, which produce one column per category.
   */
  default List<String> columns() {
    return List.of(name());
  }
}
