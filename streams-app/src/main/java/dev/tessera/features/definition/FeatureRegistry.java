package dev.tessera.features.definition;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The feature views and services a node serves; checks that every service names existing features.
 *
 * <pre>{@code
 * FeatureRegistry registry = ShippedFeatures.registry();
 * FeatureView churn = registry.view("customer_churn").orElseThrow();
 * }</pre>
 */
public final class FeatureRegistry {
  private final Map<String, FeatureView> views = new LinkedHashMap<>();
  private final Map<String, FeatureService> services = new LinkedHashMap<>();

  public FeatureRegistry(List<FeatureView> views, List<FeatureService> services) {
    for (FeatureView v : views) {
      if (this.views.put(v.name(), v) != null) {
        throw new IllegalArgumentException("View " + v.name() + " is declared twice");
      }
    }
    for (FeatureService s : services) {
      for (FeatureService.FeatureRef ref : s.features()) {
        FeatureView v = this.views.get(ref.view());
        if (v == null || v.feature(ref.feature()).isEmpty()) {
          throw new IllegalArgumentException(
              "Feature service " + s.name() + " names unknown feature " + ref);
        }
      }
      if (this.services.put(s.name(), s) != null) {
        throw new IllegalArgumentException("Feature service " + s.name() + " is declared twice");
      }
    }
  }

  public List<FeatureView> views() {
    return List.copyOf(views.values());
  }

  public Optional<FeatureView> view(String name) {
    return Optional.ofNullable(views.get(name));
  }

  public Optional<FeatureService> service(String name) {
    return Optional.ofNullable(services.get(name));
  }
}
