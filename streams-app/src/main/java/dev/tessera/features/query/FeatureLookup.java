package dev.tessera.features.query;

import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.definition.FeatureView;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/**
 * Reads views' values for a key from this node's stores (interactive queries), computing the
 * profile, related and on-demand features at lookup time.
 *
 * <pre>{@code
 * FeatureLookup lookup = new FeatureLookup(FeatureStoreAccess.of(streams), registry);
 * FeatureVector v = lookup.lookup("customer_churn", "C-1", System.currentTimeMillis());
 * double orders30d = v.value("orders_30d");
 * }</pre>
 *
 * <p>A sliding feature of length {@code W} at time {@code t} merges the tiles whose start lies in
 * {@code [align(t - W + 1), t]}: one range scan per source and tile size, whatever the number of
 * features. A related feature (another entity's view) is read through {@link #withRelated}, which a
 * cluster points at its router so that the other key is read where it lives.
 */
public final class FeatureLookup implements ViewLookup {
  private final FeatureStoreAccess stores;
  private final Map<String, ViewReader> readers = new HashMap<>();
  private volatile ViewLookup related = this;

  public FeatureLookup(FeatureStoreAccess stores, FeatureRegistry registry) {
    this.stores = stores;
    for (FeatureView view : registry.views()) {
      readers.put(view.name(), new ViewReader(view, registry));
    }
  }

  /** Reads related features (other entities' keys) through {@code lookup}; default: this node. */
  public FeatureLookup withRelated(ViewLookup lookup) {
    this.related = lookup;
    return this;
  }

  /**
   * Every column of {@code view} for {@code key} as of {@code asOfMillis}, with no request fields.
   */
  public FeatureVector lookup(String view, String key, long asOfMillis) {
    return lookup(view, key, asOfMillis, Map.of());
  }

  @Override
  public FeatureVector lookup(
      String view, String key, long asOfMillis, Map<String, Double> request) {
    return lookup(stores, view, key, asOfMillis, request);
  }

  /** As {@link #lookup(String, String, long, Map)}, reading {@code access} (e.g. a standby). */
  public FeatureVector lookup(
      FeatureStoreAccess access,
      String view,
      String key,
      long asOfMillis,
      Map<String, Double> request) {
    ViewReader reader = reader(view);
    try {
      return reader.read(new Reads(access, related, this), key, asOfMillis, request);
    } catch (InvalidStateStoreException e) {
      throw new FeaturesUnavailableException(
          "Stores of view " + view + " are not queryable now: " + e.getMessage(), e);
    }
  }

  ViewReader reader(String view) {
    ViewReader reader = readers.get(view);
    if (reader == null) {
      throw new UnknownViewException(view, readers.keySet());
    }
    return reader;
  }

  /** What one read may use: stores, the lookup for related keys, the lookup for same-key views. */
  record Reads(FeatureStoreAccess stores, ViewLookup related, FeatureLookup local) {
    FeatureVector sameKey(String view, String key, long asOf, Map<String, Double> request) {
      return local.lookup(stores, view, key, asOf, request);
    }
  }
}
