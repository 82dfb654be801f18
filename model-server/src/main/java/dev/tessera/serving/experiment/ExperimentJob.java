package dev.tessera.serving.experiment;

import dev.tessera.schemas.topic.TopicCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

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
    streams.close(Duration.ofSeconds(30));
  }
}
