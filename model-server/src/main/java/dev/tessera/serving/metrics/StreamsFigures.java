package dev.tessera.serving.metrics;

import org.apache.kafka.streams.KafkaStreams;

/**
 * The figures of the feature pipeline that {@code /metrics} exposes, read when scraped; an
 * interface so that the metrics can be tested without Kafka.
 *
 * <pre>{@code
 * ServingMetrics.create().watch(StreamsFigures.of(pipeline.streams()));
 * }</pre>
 */
public interface StreamsFigures {
  /** The most records any input partition's consumer is behind, or NaN when not known yet. */
  double recordsLagMax();

  /**
   * Records the pipeline did not apply: dead-lettered (undeserializable or rejected events) and
   * late records dropped by windows, summed over the tasks this node runs now.
   */
  double droppedRecords();

  /** The figures of a running {@link KafkaStreams}, from its client metrics. */
  static StreamsFigures of(KafkaStreams streams) {
    return new KafkaStreamsFigures(streams::metrics);
  }
}
