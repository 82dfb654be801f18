package dev.tessera.features.state;

import dev.tessera.features.aggregate.Partials;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/** Builders of the persistent RocksDB stores that hold feature partials, with changelogs. */
public final class FeatureStores {
  private FeatureStores() {}

  /** Lifetime partials per key. */
  public static StoreBuilder<KeyValueStore<String, Partials>> lifetime(String view, int width) {
    return Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(StoreNames.lifetime(view)),
            Serdes.String(),
            new PartialsSerde(width))
        .withCachingEnabled();
  }

  /**
   * Partials per key per tile. Tiles are kept for {@code retention} (the longest window plus the
   * grace period) after stream time passes them.
   */
  public static StoreBuilder<WindowStore<String, Partials>> tiles(
      String view, Duration tile, Duration retention, int width) {
    return Stores.windowStoreBuilder(
            Stores.persistentWindowStore(StoreNames.tiles(view, tile), retention, tile, false),
            Serdes.String(),
            new PartialsSerde(width))
        .withCachingEnabled();
  }
}
