package dev.tessera.serving.endpoint;

import dev.tessera.schemas.topic.Topic;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Stores endpoint configs on the endpoints topic with the next version number. Every write is one
 * transaction of the cluster-wide transactional id {@value #TRANSACTIONAL_ID}: starting it fences
 * any other writer; only then does the writer read the topic to its end and number the config, so
 * two writers never give one endpoint the same version. A config is validated against the model
 * registry first: a refused config writes nothing.
 *
 * <pre>{@code
 * var writer = new EndpointWriter(store, topics.endpoints(), clientProps, clock);
 * EndpointStore.Versioned v = writer.put(config, models);  // v.version() == 1, then 2, ...
 * writer.delete("churn");
 * }</pre>
 */
public final class EndpointWriter {
  public static final String TRANSACTIONAL_ID = "tessera-endpoints-writer";
  private static final Duration CATCH_UP = Duration.ofSeconds(30);

  private final EndpointStore store;
  private final Topic<String, byte[]> topic;
  private final Properties clientProps;
  private final Clock clock;

  public EndpointWriter(
      EndpointStore store, Topic<String, byte[]> topic, Properties clientProps, Clock clock) {
    this.store = store;
    this.topic = topic;
    this.clientProps = clientProps;
    this.clock = clock;
  }

  /**
   * Stores {@code config} as its endpoint's next version and returns it once this node's store has
   * read it back.
   *
   * @throws IllegalArgumentException if a served entity refers to what the registry does not have
   */
  public EndpointStore.Versioned put(EndpointConfig config, EndpointConfig.Models models) {
    config.validate(models);
    return write(config.name(), config);
  }

  /**
   * Deletes an endpoint's config.
   *
   * @throws IllegalArgumentException if the endpoint has none
   */
  public void delete(String endpoint) {
    write(endpoint, null);
  }

  private EndpointStore.Versioned write(String endpoint, EndpointConfig config) {
    var props = new Properties();
    props.putAll(clientProps);
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TRANSACTIONAL_ID);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "tessera-endpoints-writer");
    try (var producer =
        new KafkaProducer<>(
            props, topic.keySerde().serializer(), topic.valueSerde().serializer())) {
      producer.initTransactions();
      store.awaitCaughtUp(CATCH_UP);
      var current = store.get(endpoint);
      if (config == null && current.isEmpty()) {
        throw new IllegalArgumentException("Endpoint " + endpoint + " does not exist");
      }
      EndpointStore.Versioned next =
          config == null
              ? null
              : new EndpointStore.Versioned(
                  config, current.map(v -> v.version() + 1).orElse(1L), clock.instant());
      producer.beginTransaction();
      producer.send(
          new ProducerRecord<>(
              topic.name(), endpoint, next == null ? null : EndpointStore.encode(next)));
      producer.commitTransaction();
      store.awaitCaughtUp(CATCH_UP);
      return next;
    }
  }
}
