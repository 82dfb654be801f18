package dev.tessera.features.query;

import dev.tessera.features.definition.FeatureView;
import dev.tessera.features.state.ViewLayout;
import dev.tessera.features.state.ViewLayout.SourceLayout;

/**
 * How many keys a view holds in the stores read through {@code stores} (a node's local active
 * stores, all partitions): the largest approximate entry count of its per-key (lifetime) stores,
 * one per source. RocksDB's estimate ({@code rocksdb.estimate-num-keys} behind Kafka's {@code
 * approximateNumEntries}) is cheap and can over-count keys updated since the last flush.
 *
 * <pre>{@code
 * Long keys = ViewKeyCount.of(FeatureStoreAccess.of(streams), view); // null: no per-key store
 * }</pre>
 */
public final class ViewKeyCount {
  private ViewKeyCount() {}

  /**
   * The approximate key count, or null when the view keeps no per-key store (only windowed tiles,
   * sessions, or lookup-time features), where counting keys would mean scanning every tile.
   *
   * @throws org.apache.kafka.streams.errors.InvalidStateStoreException when the stores are not
   *     queryable (starting, rebalancing)
   */
  public static Long of(FeatureStoreAccess stores, FeatureView view) {
    Long keys = null;
    for (SourceLayout source : ViewLayout.of(view).sources()) {
      if (source.lifetime() != null) {
        long n = stores.lifetimeStore(source.lifetime().store()).approximateNumEntries();
        keys = keys == null ? n : Math.max(keys, n);
      }
    }
    return keys;
  }
}
