package dev.tessera.schemas.topic;

import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.Serde;

/**
 * A topic together with the serdes of its keys and values and the settings it is created with, so
 * that the two never travel apart.
 *
 * <pre>{@code
 * Topic<String, Order> orders = TopicCatalog.defaults().orders();
 * producer.send(new ProducerRecord<>(orders.name(), key, order)); // with orders.valueSerde()
 * }</pre>
 *
 * @param name topic name
 * @param keySerde serde of record keys
 * @param valueSerde serde of record values
 * @param partitions partition count used when the topic is created
 * @param replicationFactor replication factor used when the topic is created
 * @param configs topic-level configs used when the topic is created (e.g. cleanup.policy)
 */
public record Topic<K, V>(
    String name,
    Serde<K> keySerde,
    Serde<V> valueSerde,
    int partitions,
    short replicationFactor,
    Map<String, String> configs) {

  public Topic {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(keySerde, "keySerde of " + name);
    Objects.requireNonNull(valueSerde, "valueSerde of " + name);
    if (partitions < 1) {
      throw new IllegalArgumentException("Topic " + name + " needs at least 1 partition");
    }
    configs = Map.copyOf(configs);
  }

  /** This topic as it exists on the cluster, with {@code actual} partitions. */
  public Topic<K, V> withPartitions(int actual) {
    return new Topic<>(name, keySerde, valueSerde, actual, replicationFactor, configs);
  }

  /** The admin-client form used to create this topic. */
  public NewTopic toNewTopic() {
    return new NewTopic(name, partitions, replicationFactor).configs(configs);
  }
}
