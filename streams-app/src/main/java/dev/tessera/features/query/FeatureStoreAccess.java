package dev.tessera.features.query;

import dev.tessera.features.aggregate.Partials;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * Read access to the feature stores by name; Kafka Streams' interactive queries in production, the
 * test driver's stores in topology tests.
 */
public interface FeatureStoreAccess {

  ReadOnlyKeyValueStore<String, Partials> keyValueStore(String name);

  ReadOnlyWindowStore<String, Partials> windowStore(String name);

  /** The local stores of a running {@link KafkaStreams} instance. */
  static FeatureStoreAccess of(KafkaStreams streams) {
    return new FeatureStoreAccess() {
      @Override
      public ReadOnlyKeyValueStore<String, Partials> keyValueStore(String name) {
        return streams.store(
            StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.keyValueStore()));
      }

      @Override
      public ReadOnlyWindowStore<String, Partials> windowStore(String name) {
        return streams.store(
            StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.windowStore()));
      }
    };
  }
}
