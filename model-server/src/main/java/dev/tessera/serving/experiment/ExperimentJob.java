package dev.tessera.serving.experiment;

import dev.tessera.schemas.topic.TopicCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evaluation job of one node: {@link EvaluationTopology} run by its own Kafka Streams
 * application, {@code <application.id>-experiments}, beside the feature pipeline, with the same
 * client, exactly-once and {@code application.server} settings. The nodes share its partitions the
 * way they share the features'.
 *
 * <pre>{@code
 * try (ExperimentJob job = ExperimentJob.start(topics, settings, streamsProps)) {
 *   Map<String, VariantStats> local = job.reader().variants("churn:champion=churn/1");
 * }
 * }</pre>
 */
public final class ExperimentJob implements AutoCloseable {
  public static final String APPLICATION_SUFFIX = "-experiments";

  private static final Logger log = LoggerFactory.getLogger(ExperimentJob.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaStreams streams;
  private final ExperimentReader reader;

  private ExperimentJob(KafkaStreams streams) {
    this.streams = streams;
    this.reader = new ExperimentReader(streams);
  }

  /**
   * Starts the job.
   *
   * @param featureStreamsProps the feature pipeline's Streams properties; the application id gets
   *     {@value #APPLICATION_SUFFIX} appended
   */
  public static ExperimentJob start(
      TopicCatalog topics, EvaluationSettings settings, Properties featureStreamsProps) {
    var props = new Properties();
    props.putAll(featureStreamsProps);
    props.put(
        StreamsConfig.APPLICATION_ID_CONFIG,
        featureStreamsProps.getProperty(StreamsConfig.APPLICATION_ID_CONFIG) + APPLICATION_SUFFIX);
    var streams = new KafkaStreams(EvaluationTopology.build(topics, settings), props);
    streams.start();
    return new ExperimentJob(streams);
  }

  public ExperimentReader reader() {
    return reader;
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  /**
   * The other nodes running the job (their {@code application.server}), for a cluster-wide read.
   */
  public List<HostInfo> peers(HostInfo self) {
    var hosts = new ArrayList<HostInfo>();
    for (StreamsMetadata m : streams.metadataForAllStreamsClients()) {
      if (!m.hostInfo().equals(self)) {
        hosts.add(m.hostInfo());
      }
    }
    return hosts;
  }

  @Override
  public void close() {
    // Leave the group, as the feature pipeline does, so another node takes over its partitions at
    // once instead of after the session timeout.
    boolean stopped =
        streams.close(
            CloseOptions.groupMembershipOperation(GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(CLOSE_TIMEOUT));
    if (!stopped) {
      log.warn(
          "The experiment job's threads did not stop within {}; they go on stopping in the"
              + " background",
          CLOSE_TIMEOUT);
    }
  }
}
