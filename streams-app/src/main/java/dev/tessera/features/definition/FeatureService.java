package dev.tessera.features.definition;

import java.util.List;

/**
 * The ordered list of features a model consumes, each named {@code view.feature}.
 *
 * <pre>{@code
 * new FeatureService("churn_v1", List.of(new FeatureRef("customer_churn", "total_orders")));
 * }</pre>
 *
 * @param name service name, e.g. churn_v1
 * @param features the model's inputs, in order
 */
public record FeatureService(String name, List<FeatureRef> features) {

  public FeatureService {
    Names.requireValid(name, "feature service");
    features = List.copyOf(features);
    if (features.isEmpty()) {
      throw new IllegalArgumentException("Feature service " + name + " lists no features");
    }
  }

  /**
   * A reference to one feature of one view.
   *
   * @param view view name
   * @param feature feature name within the view
   */
  public record FeatureRef(String view, String feature) {
    @Override
    public String toString() {
      return view + "." + feature;
    }
  }
}
