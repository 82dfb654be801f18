package dev.tessera.features.definition;

import dev.tessera.features.definition.FeatureService.FeatureRef;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The feature views and services a node serves; checks that every reference between them resolves.
 *
 * <pre>{@code
 * FeatureRegistry registry = ShippedFeatures.registry();
 * FeatureView churn = registry.view("customer_churn").orElseThrow();
 * List<String> inputs = registry.columns(registry.service("churn_v2").orElseThrow());
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
    for (FeatureView v : views) {
      for (FeatureDefinition f : v.features()) {
        if (f instanceof RelatedFeature r) {
          checkRelated(v, r);
        }
      }
    }
    for (FeatureService s : services) {
      for (FeatureRef ref : s.features()) {
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

  private void checkRelated(FeatureView owner, RelatedFeature r) {
    FeatureView other = views.get(r.view());
    String where = "Feature " + owner.name() + "." + r.name();
    if (other == null) {
      throw new IllegalArgumentException(where + " reads unknown view " + r.view());
    }
    if (other.feature(r.feature()).isEmpty()) {
      throw new IllegalArgumentException(
          where + " reads unknown feature " + r.view() + "." + r.feature());
    }
    if (other.feature(r.feature()).get() instanceof RelatedFeature) {
      throw new IllegalArgumentException(
          where + " reads " + r.view() + "." + r.feature() + ", itself a related feature");
    }
  }

  public List<FeatureView> views() {
    return List.copyOf(views.values());
  }

  public Optional<FeatureView> view(String name) {
    return Optional.ofNullable(views.get(name));
  }

  public List<FeatureService> services() {
    return List.copyOf(services.values());
  }

  public Optional<FeatureService> service(String name) {
    return Optional.ofNullable(services.get(name));
  }

  /**
   * Only what one service's values depend on: its views, the views their related features and
   * on-demand arguments read (transitively), and the service. An offline replay of it runs a
   * smaller topology.
   */
  public FeatureRegistry forService(String name) {
    FeatureService service =
        service(name)
            .orElseThrow(() -> new IllegalArgumentException("Unknown feature service " + name));
    var needed = new HashSet<String>();
    var pending = new ArrayDeque<String>();
    service.features().forEach(ref -> pending.add(ref.view()));
    while (!pending.isEmpty()) {
      String view = pending.poll();
      if (!needed.add(view)) {
        continue;
      }
      for (FeatureDefinition f : views.get(view).features()) {
        if (f instanceof RelatedFeature r) {
          pending.add(r.view());
        } else if (f instanceof OnDemandFeature o) {
          for (String arg : o.expression().references()) {
            int dot = arg.indexOf('.');
            if (dot > 0 && views.containsKey(arg.substring(0, dot))) {
              pending.add(arg.substring(0, dot));
            }
          }
        }
      }
    }
    return new FeatureRegistry(
        views.values().stream().filter(v -> needed.contains(v.name())).toList(), List.of(service));
  }

  /** The numeric columns a service's model consumes, in order ({@code view.column}). */
  public List<String> columns(FeatureService service) {
    var columns = new ArrayList<String>();
    for (FeatureRef ref : service.features()) {
      for (String c : views.get(ref.view()).feature(ref.feature()).orElseThrow().columns()) {
        columns.add(c);
      }
    }
    return columns;
  }
}
