package dev.tessera.features;

import dev.tessera.features.config.FeatureStoreConfig;
import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.definition.FeatureView;
import dev.tessera.features.query.FeatureLookup;
import dev.tessera.features.query.FeatureRouter;
import dev.tessera.features.query.FeatureStoreAccess;
import dev.tessera.features.query.LagMonitor;
import dev.tessera.features.query.PeerClient;
import dev.tessera.features.query.ViewKeyCount;
import dev.tessera.features.state.FeatureStores;
import dev.tessera.features.topology.FeatureTopology;
import dev.tessera.features.topology.PipelineActivity;
import dev.tessera.schemas.serde.SchemaRegistryUnavailableException;
import dev.tessera.schemas.topic.Topic;
import dev.tessera.schemas.topic.TopicAdmin;
import dev.tessera.schemas.topic.TopicCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running feature store of one node: creates the topics, builds the topology from the
 * definitions and runs it with Kafka Streams.
 *
 * <pre>{@code
 * try (FeaturePipeline pipeline = FeaturePipeline.start(config, ShippedFeatures.registry())) {
 *   FeatureVector v = pipeline.router().lookup("customer_churn", "C-1", now, Map.of());
 * }
 * }</pre>
 */
public final class FeaturePipeline implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FeaturePipeline.class);
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration LAG_REFRESH = Duration.ofSeconds(1);

  private final KafkaStreams streams;
  private final LagMonitor lags;
  private final FeatureRouter router;
  private final TopicCatalog topics;
  private final PipelineActivity activity;

  private FeaturePipeline(
      KafkaStreams streams,
      PipelineActivity activity,
      FeatureRegistry registry,
      TopicCatalog topics,
      FeatureStoreConfig config,
      String peerToken) {
    this.streams = streams;
    this.activity = activity;
    this.topics = topics;
    this.lags = new LagMonitor(streams, LAG_REFRESH);
    String server = config.applicationServer();
    this.router =
        new FeatureRouter(
            streams,
            new FeatureLookup(FeatureStoreAccess.of(streams), registry),
            registry,
            server.isEmpty() ? null : HostInfo.buildFromEndpoint(server),
            new PeerClient(Duration.ofMillis(config.forwardTimeoutMs()), peerToken),
            lags,
            config.maxStandbyLag());
  }

  /** Creates missing topics and starts processing; returns before the stores are ready. */
  public static FeaturePipeline start(FeatureStoreConfig config, FeatureRegistry registry) {
    return start(config, registry, null);
  }

  /**
   * As {@link #start(FeatureStoreConfig, FeatureRegistry)}, sending {@code peerToken} as a bearer
   * token when forwarding a lookup to another node (null sends none).
   */
  public static FeaturePipeline start(
      FeatureStoreConfig config, FeatureRegistry registry, String peerToken) {
    TopicCatalog topics;
    Map<String, Integer> sourcePartitions;
    try (Admin admin = Admin.create(config.clientProperties())) {
      topics =
          config
              .topics()
              .withPartitions(TopicAdmin.ensure(admin, config.topics().all(), ADMIN_TIMEOUT));
      sourcePartitions = declaredTopics(admin, config.topics(), registry);
    }
    var activity = new PipelineActivity(registry.views(), System.currentTimeMillis());
    Topology topology =
        FeatureTopology.build(
            registry.views(), topics, activity, FeatureStores.ROCKSDB, sourcePartitions);
    log.debug("Feature topology:\n{}", topology.describe());
    Properties props = config.streamsProperties();
    props.put(PipelineActivity.CONFIG, activity);
    var streams = new KafkaStreams(topology, props);
    streams.setUncaughtExceptionHandler(
        e -> {
          if (causedBy(e, SchemaRegistryUnavailableException.class)) {
            // The record is read again from the last commit: nothing is lost or counted twice.
            log.warn("Stream thread failed, the schema registry did not answer; replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
          }
          log.error("Stream thread failed; shutting the feature pipeline down", e);
          return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    var pipeline = new FeaturePipeline(streams, activity, registry, topics, config, peerToken);
    streams.start();
    return pipeline;
  }

  /**
   * The partition count of each declared source's topic, creating a missing one as the event topics
   * are created (so that a node can start before its producers).
   */
  private static Map<String, Integer> declaredTopics(
      Admin admin, TopicCatalog catalog, FeatureRegistry registry) {
    var tables = new HashSet<String>();
    FeatureTopology.declaredTables(registry.views()).forEach(t -> tables.add(t.source().topic()));
    var wanted = new ArrayList<Topic<?, ?>>();
    for (String topic : FeatureTopology.declaredSources(registry.views()).keySet()) {
      wanted.add(
          new Topic<>(
              topic,
              Serdes.String(),
              Serdes.ByteArray(),
              catalog.orders().partitions(),
              catalog.orders().replicationFactor(),
              tables.contains(topic)
                  ? Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
                  : Map.of()));
    }
    return wanted.isEmpty() ? Map.of() : TopicAdmin.ensure(admin, wanted, ADMIN_TIMEOUT);
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /** Lookups of any key: read here, forwarded to its owner, or served by a standby. */
  public FeatureRouter router() {
    return router;
  }

  public KafkaStreams streams() {
    return streams;
  }

  public TopicCatalog topics() {
    return topics;
  }

  /** What this node's pipeline has applied and dead-lettered since it started. */
  public PipelineActivity activity() {
    return activity;
  }

  /**
   * Approximate keys {@code view} holds in this node's active stores, or null when it has no
   * per-key store (see {@link ViewKeyCount}).
   *
   * @throws org.apache.kafka.streams.errors.InvalidStateStoreException when the stores are not
   *     queryable yet
   */
  public Long keysHeld(FeatureView view) {
    return ViewKeyCount.of(FeatureStoreAccess.of(streams), view);
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
    lags.close();
    // Leave the group on a graceful stop, so the other nodes take over this node's keys at once
    // instead of after the session timeout.
    streams.close(
        CloseOptions.groupMembershipOperation(GroupMembershipOperation.LEAVE_GROUP)
            .withTimeout(Duration.ofSeconds(30)));
  }
}
