package dev.tessera.features.state;

import dev.tessera.features.aggregate.PartialLayout;
import dev.tessera.features.aggregate.Partials;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.SessionStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Builders of the stores that hold feature partials, each with a changelog so that state restores
 * after a restart.
 *
 * <p>A node keeps them in RocksDB ({@link #ROCKSDB}, tuned by {@link BoundedRocksDbConfig}). The
 * offline replay keeps them in memory ({@link #IN_MEMORY}): it runs in Kafka Streams' test driver,
 * which commits, and so flushes every store, after each record and each move of its clock; a
 * RocksDB flush writes a new file each time, which made a replay of a few thousand labels take
 * minutes. Both kinds read and expire windows alike, which the offline/online parity tests check.
 *
 * <pre>{@code
 * StoreBuilder<?> tiles = FeatureStores.ROCKSDB.tiles("v-orders-1h", tile, retention, layout);
 * }</pre>
 */
public enum FeatureStores {
  ROCKSDB,
  IN_MEMORY;

  /** Lifetime partials per key. */
  public StoreBuilder<KeyValueStore<String, Partials>> lifetime(String name, PartialLayout layout) {
    return Stores.keyValueStoreBuilder(keyValue(name), Serdes.String(), new PartialsSerde(layout))
        .withCachingEnabled();
  }

  /** Partials per key per tile, kept for {@code retention} after stream time passes them. */
  public StoreBuilder<WindowStore<String, Partials>> tiles(
      String name, Duration tile, Duration retention, PartialLayout layout) {
    return Stores.windowStoreBuilder(
            this == ROCKSDB
                ? Stores.persistentWindowStore(name, retention, tile, false)
                : Stores.inMemoryWindowStore(name, retention, tile, false),
            Serdes.String(),
            new PartialsSerde(layout))
        .withCachingEnabled();
  }

  /** Sessions per key (value: events in the session), kept for {@code retention}. */
  public StoreBuilder<SessionStore<String, Long>> sessions(String name, Duration retention) {
    return Stores.sessionStoreBuilder(
            this == ROCKSDB
                ? Stores.persistentSessionStore(name, retention)
                : Stores.inMemorySessionStore(name, retention),
            Serdes.String(),
            Serdes.Long())
        .withCachingEnabled();
  }

  /** The supplier of a key-value store of this kind, for tables the topology materializes. */
  public KeyValueBytesStoreSupplier keyValue(String name) {
    return this == ROCKSDB
        ? Stores.persistentKeyValueStore(name)
        : Stores.inMemoryKeyValueStore(name);
  }
}
