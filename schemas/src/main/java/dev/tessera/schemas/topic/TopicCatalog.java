package dev.tessera.schemas.topic;

import dev.tessera.schemas.Click;
import dev.tessera.schemas.Customer;
import dev.tessera.schemas.Order;
import dev.tessera.schemas.Outcome;
import dev.tessera.schemas.Prediction;
import dev.tessera.schemas.serde.EventSerde;
import dev.tessera.schemas.serde.EventSerdes;
import dev.tessera.schemas.serde.WriterSchemas;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every topic Tessera reads or writes, with its serdes and creation settings.
 *
 * <pre>{@code
 * TopicCatalog topics = TopicCatalog.create(6, (short) 3);
 * TopicAdmin.ensure(admin, topics.all(), Duration.ofSeconds(30));
 * }</pre>
 *
 * <p>Event topics are keyed by the entity key (a UTF-8 string). {@code customers} and the control
 * topics are compacted: only the latest value of a key matters. {@code writerSchemas} are the other
 * schemas the event topics' serdes read Avro written with, for whoever decodes those topics again
 * (the offline replay).
 */
public record TopicCatalog(
    Topic<String, Order> orders,
    Topic<String, Click> clicks,
    Topic<String, Customer> customers,
    Topic<String, Outcome> outcomes,
    Topic<String, Prediction> predictions,
    Topic<byte[], byte[]> deadLetters,
    Topic<String, byte[]> registry,
    Topic<String, byte[]> endpoints,
    WriterSchemas writerSchemas) {

  public static final String ORDERS = "orders";
  public static final String CLICKS = "clicks";
  public static final String CUSTOMERS = "customers";
  public static final String OUTCOMES = "outcomes";
  public static final String PREDICTIONS = "predictions";
  public static final String DEAD_LETTERS = "tessera-dlq";
  public static final String REGISTRY = "tessera-registry";
  public static final String ENDPOINTS = "tessera-endpoints";

  private static final Map<String, String> COMPACTED =
      Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);

  /** Single-node defaults: 3 partitions, replication factor 1. */
  public static TopicCatalog defaults() {
    return create(3, (short) 1);
  }

  /**
   * The catalogue with the given partition count for event topics and replication factor for all
   * topics. Control topics always have one partition: every node reads all of them.
   */
  public static TopicCatalog create(int partitions, short replicationFactor) {
    return create(partitions, replicationFactor, WriterSchemas.none());
  }

  /**
   * As {@link #create(int, short)}, with event topics whose serdes also read Avro written with the
   * schemas of {@code writers} (a schema directory, a schema registry).
   */
  public static TopicCatalog create(
      int partitions, short replicationFactor, WriterSchemas writers) {
    boolean plain = writers == WriterSchemas.none();
    var noConfigs = Map.<String, String>of();
    return new TopicCatalog(
        new Topic<>(
            ORDERS,
            Serdes.String(),
            plain ? EventSerdes.orders() : EventSerde.of(Order.class, writers),
            partitions,
            replicationFactor,
            noConfigs),
        new Topic<>(
            CLICKS,
            Serdes.String(),
            plain ? EventSerdes.clicks() : EventSerde.of(Click.class, writers),
            partitions,
            replicationFactor,
            noConfigs),
        new Topic<>(
            CUSTOMERS,
            Serdes.String(),
            plain ? EventSerdes.customers() : EventSerde.of(Customer.class, writers),
            partitions,
            replicationFactor,
            COMPACTED),
        new Topic<>(
            OUTCOMES,
            Serdes.String(),
            plain ? EventSerdes.outcomes() : EventSerde.of(Outcome.class, writers),
            partitions,
            replicationFactor,
            noConfigs),
        new Topic<>(
            PREDICTIONS,
            Serdes.String(),
            EventSerdes.predictions(),
            partitions,
            replicationFactor,
            noConfigs),
        new Topic<>(
            DEAD_LETTERS, Serdes.ByteArray(), Serdes.ByteArray(), 1, replicationFactor, noConfigs),
        new Topic<>(REGISTRY, Serdes.String(), Serdes.ByteArray(), 1, replicationFactor, COMPACTED),
        new Topic<>(
            ENDPOINTS, Serdes.String(), Serdes.ByteArray(), 1, replicationFactor, COMPACTED),
        writers);
  }

  /**
   * The catalogue with the partition counts the topics really have (they may have been created
   * before, with other settings).
   */
  public TopicCatalog withPartitions(Map<String, Integer> actual) {
    return new TopicCatalog(
        resize(orders, actual),
        resize(clicks, actual),
        resize(customers, actual),
        resize(outcomes, actual),
        resize(predictions, actual),
        resize(deadLetters, actual),
        resize(registry, actual),
        resize(endpoints, actual),
        writerSchemas);
  }

  private static <K, V> Topic<K, V> resize(Topic<K, V> topic, Map<String, Integer> actual) {
    return topic.withPartitions(actual.getOrDefault(topic.name(), topic.partitions()));
  }

  /** Every topic in the catalogue, for creation at start. */
  public List<Topic<?, ?>> all() {
    return List.of(
        orders, clicks, customers, outcomes, predictions, deadLetters, registry, endpoints);
  }
}
