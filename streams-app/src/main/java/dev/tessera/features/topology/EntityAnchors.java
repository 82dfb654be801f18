package dev.tessera.features.topology;

import dev.tessera.features.definition.SourceDeclaration;
import dev.tessera.features.state.StoreNames;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The store every aggregating processor of one entity (its key fields, whatever the entity is
 * called) is connected to, so that Kafka Streams puts all of them in one sub-topology and every
 * store of a key in one task, on one node, where a lookup finds them together. Customers have the
 * customers table's store; any other entity gets an empty in-memory store without a changelog, used
 * for nothing else. One sub-topology needs one partition count, so the sources of an entity must
 * agree on it; a mismatch is refused when the topology is built.
 */
final class EntityAnchors {
  private static final String CUSTOMER_KEY = "customer_id";

  private final StreamsBuilder builder;
  private final int customerPartitions;
  private final Map<String, Integer> partitions = new HashMap<>();
  private final Map<String, String> firstSource = new HashMap<>();

  EntityAnchors(StreamsBuilder builder, int customerPartitions) {
    this.builder = builder;
    this.customerPartitions = customerPartitions;
  }

  /**
   * The anchor store's name for the entity keyed by {@code keys}, added to the topology on first
   * use; {@code source} is the topic read for it, with {@code sourcePartitions} partitions.
   */
  String of(List<String> keys, SourceDeclaration source, int sourcePartitions) {
    boolean customers = keys.equals(List.of(CUSTOMER_KEY));
    String anchor = customers ? StoreNames.CUSTOMERS : StoreNames.entityAnchor(keys);
    String entity = String.join(", ", keys);
    Integer known = partitions.get(anchor);
    if (known == null && customers) {
      known = customerPartitions;
      firstSource.put(anchor, "customers");
    }
    if (known == null) {
      builder.addStateStore(
          Stores.keyValueStoreBuilder(
                  Stores.inMemoryKeyValueStore(anchor), Serdes.String(), Serdes.String())
              .withLoggingDisabled());
      partitions.put(anchor, sourcePartitions);
      firstSource.put(anchor, source.topic());
    } else if (known != sourcePartitions) {
      throw new IllegalArgumentException(
          "Topics read for the entity keyed by "
              + entity
              + " must have one partition count, so that a key's features are on one node: "
              + firstSource.get(anchor)
              + " has "
              + known
              + ", "
              + source.topic()
              + " has "
              + sourcePartitions);
    } else {
      partitions.putIfAbsent(anchor, known);
    }
    return anchor;
  }
}
