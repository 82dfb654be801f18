package dev.tessera.features.query;

import dev.tessera.features.aggregate.Partials;
import dev.tessera.features.state.StoreNames;
import dev.tessera.schemas.Customer;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlySessionStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * Read access to the feature stores by name: Kafka Streams' interactive queries in production, the
 * test driver's stores in topology tests.
 */
public interface FeatureStoreAccess {

  ReadOnlyKeyValueStore<String, Partials> lifetimeStore(String name);

  ReadOnlyWindowStore<String, Partials> tileStore(String name);

  ReadOnlySessionStore<String, Long> sessionStore(String name);

  /** The customers table, keyed by customer_id. */
  ReadOnlyKeyValueStore<String, Customer> customers();

  /** A declared table's newest rows, keyed by its entity ({@code StoreNames.table}). */
  ReadOnlyKeyValueStore<String, GenericRecord> tableStore(String name);

  /** The local active stores of a running {@link KafkaStreams} instance, all partitions. */
  static FeatureStoreAccess of(KafkaStreams streams) {
    return of(streams, null, false);
  }

  /**
   * One partition of the local active stores; reading it throws {@code InvalidStateStoreException}
   * unless this node runs that partition's active task.
   */
  static FeatureStoreAccess active(KafkaStreams streams, int partition) {
    return of(streams, partition, false);
  }

  /**
   * One partition of the local stores, standby or restoring replicas included: the values may be
   * behind the active ones by the partition's lag.
   */
  static FeatureStoreAccess stale(KafkaStreams streams, int partition) {
    return of(streams, partition, true);
  }

  private static FeatureStoreAccess of(KafkaStreams streams, Integer partition, boolean stale) {
    return new FeatureStoreAccess() {
      private <T> T store(String name, QueryableStoreType<T> type) {
        StoreQueryParameters<T> params = StoreQueryParameters.fromNameAndType(name, type);
        if (partition != null) {
          params = params.withPartition(partition);
        }
        if (stale) {
          params = params.enableStaleStores();
        }
        return streams.store(params);
      }

      @Override
      public ReadOnlyKeyValueStore<String, Partials> lifetimeStore(String name) {
        return store(name, QueryableStoreTypes.keyValueStore());
      }

      @Override
      public ReadOnlyWindowStore<String, Partials> tileStore(String name) {
        return store(name, QueryableStoreTypes.windowStore());
      }

      @Override
      public ReadOnlySessionStore<String, Long> sessionStore(String name) {
        return store(name, QueryableStoreTypes.sessionStore());
      }

      @Override
      public ReadOnlyKeyValueStore<String, Customer> customers() {
        return store(StoreNames.CUSTOMERS, QueryableStoreTypes.keyValueStore());
      }

      @Override
      public ReadOnlyKeyValueStore<String, GenericRecord> tableStore(String name) {
        return store(name, QueryableStoreTypes.keyValueStore());
      }
    };
  }
}
