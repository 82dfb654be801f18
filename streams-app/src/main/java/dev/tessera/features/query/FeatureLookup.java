package dev.tessera.features.query;

import dev.tessera.features.aggregate.PartialLayout;
import dev.tessera.features.aggregate.Partials;
import dev.tessera.features.definition.FeatureDefinition;
import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.definition.FeatureView;
import dev.tessera.features.state.StoreNames;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Reads a view's features for a key from this node's stores (interactive queries).
 *
 * <pre>{@code
 * FeatureLookup lookup = new FeatureLookup(FeatureStoreAccess.of(streams), registry);
 * FeatureVector v = lookup.lookup("customer_churn", "C-1", System.currentTimeMillis());
 * double orders30d = v.value("orders_30d");
 * }</pre>
 *
 * <p>A sliding feature of length {@code W} at time {@code t} merges the tiles whose start lies in
 * {@code [align(t - W + 1), t]}: one range scan per tile size, whatever the number of features.
 */
public final class FeatureLookup {
  private final FeatureStoreAccess stores;
  private final Map<String, ViewReader> readers = new HashMap<>();

  public FeatureLookup(FeatureStoreAccess stores, FeatureRegistry registry) {
    this.stores = stores;
    for (FeatureView view : registry.views()) {
      readers.put(view.name(), new ViewReader(view));
    }
  }

  /** Every feature of {@code view} for {@code key} as of {@code asOfMillis}. */
  public FeatureVector lookup(String view, String key, long asOfMillis) {
    ViewReader reader = readers.get(view);
    if (reader == null) {
      throw new UnknownViewException(view, readers.keySet());
    }
    try {
      return reader.read(key, asOfMillis);
    } catch (InvalidStateStoreException e) {
      throw new FeaturesUnavailableException(
          "Stores of view " + view + " are not queryable now: " + e.getMessage(), e);
    }
  }

  /** Reads one view: its lifetime store and one window store per tile size. */
  private final class ViewReader {
    private final FeatureView view;
    private final PartialLayout lifetimeLayout;
    private final List<TileReader> tileReaders = new ArrayList<>();
    private final List<String> names;
    // Where each feature's value lands in the vector: the view's declaration order.
    private final int[] lifetimeSlots;

    ViewReader(FeatureView view) {
      this.view = view;
      this.names = view.features().stream().map(FeatureDefinition::name).toList();
      this.lifetimeLayout = PartialLayout.of(view.lifetimeFeatures());
      this.lifetimeSlots = indexesOf(view.lifetimeFeatures());
      view.slidingFeaturesByTile()
          .forEach(
              (tile, features) ->
                  tileReaders.add(
                      new TileReader(
                          StoreNames.tiles(view.name(), tile),
                          tile,
                          PartialLayout.of(features),
                          indexesOf(features))));
    }

    private int[] indexesOf(List<FeatureDefinition> features) {
      return features.stream().mapToInt(f -> names.indexOf(f.name())).toArray();
    }

    FeatureVector read(String key, long asOf) {
      double[] values = new double[names.size()];
      long[] eventTimes = new long[names.size()];
      boolean found = false;
      if (lifetimeSlots.length > 0) {
        ReadOnlyKeyValueStore<String, Partials> store =
            stores.keyValueStore(StoreNames.lifetime(view.name()));
        Partials p = store.get(key);
        found = p != null;
        Partials partials = p == null ? lifetimeLayout.empty() : p;
        for (int i = 0; i < lifetimeSlots.length; i++) {
          values[lifetimeSlots[i]] = lifetimeLayout.result(partials, i);
          eventTimes[lifetimeSlots[i]] = partials.newestEventTime();
        }
      }
      for (TileReader tiles : tileReaders) {
        found |= tiles.read(key, asOf, values, eventTimes);
      }
      return new FeatureVector(view.name(), key, asOf, found, names, values, eventTimes);
    }
  }

  /** Reads the features that share one tile size with a single range scan. */
  private final class TileReader {
    private final String store;
    private final long tileMillis;
    private final PartialLayout layout;
    private final int[] slots;
    private final long[] lengths;

    TileReader(String store, Duration tile, PartialLayout layout, int[] slots) {
      this.store = store;
      this.tileMillis = tile.toMillis();
      this.layout = layout;
      this.slots = slots;
      this.lengths =
          layout.features().stream().mapToLong(f -> f.window().length().toMillis()).toArray();
    }

    boolean read(String key, long asOf, double[] values, long[] eventTimes) {
      int n = slots.length;
      List<Partials> merged = new ArrayList<>(n);
      long[] froms = new long[n];
      long earliest = Long.MAX_VALUE;
      for (int i = 0; i < n; i++) {
        merged.add(layout.empty());
        froms[i] = alignDown(asOf - lengths[i] + 1);
        earliest = Math.min(earliest, froms[i]);
      }
      boolean found = false;
      ReadOnlyWindowStore<String, Partials> windows = stores.windowStore(store);
      try (WindowStoreIterator<Partials> it =
          windows.fetch(key, Instant.ofEpochMilli(earliest), Instant.ofEpochMilli(asOf))) {
        while (it.hasNext()) {
          KeyValue<Long, Partials> tile = it.next();
          found = true;
          for (int i = 0; i < n; i++) {
            if (tile.key >= froms[i]) {
              merged.set(i, layout.mergeFeature(merged.get(i), tile.value, i));
            }
          }
        }
      }
      for (int i = 0; i < n; i++) {
        values[slots[i]] = layout.result(merged.get(i), i);
        eventTimes[slots[i]] = merged.get(i).newestEventTime();
      }
      return found;
    }

    private long alignDown(long t) {
      return t - Math.floorMod(t, tileMillis);
    }
  }
}
