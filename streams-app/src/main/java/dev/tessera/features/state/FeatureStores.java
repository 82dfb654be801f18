package dev.tessera.features.state;

import dev.tessera.features.aggregate.PartialLayout;
import dev.tessera.features.aggregate.Partials;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.SessionStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Builders of the persistent RocksDB stores that hold feature partials, each with a changelog so
 * that state restores after a restart. RocksDB itself is tuned by {@link BoundedRocksDbConfig}.
 */
public final class FeatureStores {
  private FeatureStores() {}

  /** Lifetime partials per key. */
  public static StoreBuilder<KeyValueStore<String, Partials>> lifetime(
      String name, PartialLayout layout) {
    return Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(name), Serdes.String(), new PartialsSerde(layout))
        .withCachingEnabled();
  }

  /** Partials per key per tile, kept for {@code retention} after stream time passes them. */
  public static StoreBuilder<WindowStore<String, Partials>> tiles(
      String name, Duration tile, Duration retention, PartialLayout layout) {
    return Stores.windowStoreBuilder(
            Stores.persistentWindowStore(name, retention, tile, false),
            Serdes.String(),
            new PartialsSerde(layout))
        .withCachingEnabled();
  }

  /** Sessions per key (value: events in the session), kept for {@code retention}. */
  public static StoreBuilder<SessionStore<String, Long>> sessions(String name, Duration retention) {
    return Stores.sessionStoreBuilder(
            Stores.persistentSessionStore(name, retention), Serdes.String(), Serdes.Long())
        .withCachingEnabled();
  }
}
