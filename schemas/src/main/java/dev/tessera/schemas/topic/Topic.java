package dev.tessera.schemas.topic;

import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
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

  /**
   * An idempotent producer (acks=all, linger 5 ms) for this topic, with its serdes, built from
   * {@code clientProps} (bootstrap servers and pass-through client settings).
   */
  public KafkaProducer<K, V> idempotentProducer(Properties clientProps, String clientId) {
    var props = new Properties();
    props.putAll(clientProps);
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    return new KafkaProducer<>(props, keySerde.serializer(), valueSerde.serializer());
  }

  /** The admin-client form used to create this topic. */
  public NewTopic toNewTopic() {
    return new NewTopic(name, partitions, replicationFactor).configs(configs);
  }
}
