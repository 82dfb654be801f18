package dev.tessera.features;

import dev.tessera.features.config.FeatureStoreConfig;
import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.query.FeatureLookup;
import dev.tessera.features.query.FeatureStoreAccess;
import dev.tessera.features.topology.FeatureTopology;
import dev.tessera.schemas.topic.TopicAdmin;
import dev.tessera.schemas.topic.TopicCatalog;
import java.time.Duration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running feature store of one node: creates the topics, builds the topology from the
 * definitions and runs it with Kafka Streams.
 *
 * <pre>{@code
 * try (FeaturePipeline pipeline = FeaturePipeline.start(config, ShippedFeatures.registry())) {
 *   FeatureVector v = pipeline.lookup().lookup("customer_churn", "C-1", now);
 * }
 * }</pre>
 */
public final class FeaturePipeline implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FeaturePipeline.class);
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaStreams streams;
  private final FeatureLookup lookup;
  private final TopicCatalog topics;

  private FeaturePipeline(KafkaStreams streams, FeatureRegistry registry, TopicCatalog topics) {
    this.streams = streams;
    this.lookup = new FeatureLookup(FeatureStoreAccess.of(streams), registry);
    this.topics = topics;
  }

  /** Creates missing topics and starts processing; returns before the stores are ready. */
  public static FeaturePipeline start(FeatureStoreConfig config, FeatureRegistry registry) {
    TopicCatalog topics;
    try (Admin admin = Admin.create(config.clientProperties())) {
      topics =
          config
              .topics()
              .withPartitions(TopicAdmin.ensure(admin, config.topics().all(), ADMIN_TIMEOUT));
    }
    Topology topology = FeatureTopology.build(registry.views(), topics);
    log.debug("Feature topology:\n{}", topology.describe());
    var streams = new KafkaStreams(topology, config.streamsProperties());
    streams.setUncaughtExceptionHandler(
        e -> {
          log.error("Stream thread failed; shutting the feature pipeline down", e);
          return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    streams.start();
    return new FeaturePipeline(streams, registry, topics);
  }

  public FeatureLookup lookup() {
    return lookup;
  }

  public TopicCatalog topics() {
    return topics;
  }

  /** Whether lookups can be answered: Streams is RUNNING (stores restored). */
  public boolean isRunning() {
    return streams.state() == KafkaStreams.State.RUNNING;
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  @Override
  public void close() {
    streams.close(Duration.ofSeconds(30));
  }
}
