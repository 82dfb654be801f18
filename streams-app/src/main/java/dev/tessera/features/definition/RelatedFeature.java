package dev.tessera.features.definition;

import java.util.Objects;

/**
 * A feature of another entity, found through a field of the customer row: e.g. the average order
 * value of the customer's region, read from the {@code region_orders} view keyed by region.
 *
 * <pre>{@code
 * new RelatedFeature("region_avg_order_value_365d", "region_orders", "avg_order_value_365d",
 *     "region", 0.0);
 * }</pre>
 *
 * @param name feature name
 * @param view the other entity's view
 * @param feature the feature of that view
 * @param via field of the customer row that holds the other entity's key
 * @param defaultValue value when the customer has no row or the other entity has no data
 */
public record RelatedFeature(
    String name, String view, String feature, String via, double defaultValue)
    implements FeatureDefinition {

  public RelatedFeature {
    Names.requireValid(name, "feature");
    Objects.requireNonNull(view, "view of " + name);
    Objects.requireNonNull(feature, "feature of " + name);
    Objects.requireNonNull(via, "via of " + name);
  }
}
