package dev.tessera.bench;

import dev.tessera.schemas.topic.Topic;
import dev.tessera.schemas.topic.TopicCatalog;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The ingestion baseline: every event of orders, clicks and customers counted per key in one
 * windowed store (12-hour windows, the tile size of the shipped 30-day features), with the same
 * Avro decoding as Tessera and no validation, no other state. What the broker and Kafka Streams
 * cost on their own.
 *
 * <pre>{@code
 * Topology t = OneCountTopology.build(TopicCatalog.defaults());
 * }</pre>
 */
final class OneCountTopology {
  static final String STORE = "one-count";
  private static final Duration WINDOW = Duration.ofHours(12);
  // Customer rows carry their signup time (up to ~3 years back): keep them all.
  private static final Duration GRACE = Duration.ofDays(1200);

  private OneCountTopology() {}

  static Topology build(TopicCatalog topics) {
    var builder = new StreamsBuilder();
    KStream<String, Integer> events =
        ones(builder, topics.orders())
            .merge(ones(builder, topics.clicks()), Named.as("merge-clicks"))
            .merge(ones(builder, topics.customers()), Named.as("merge-customers"));
    events
        .groupByKey(Grouped.<String, Integer>as("by-key").withValueSerde(Serdes.Integer()))
        .windowedBy(TimeWindows.ofSizeAndGrace(WINDOW, GRACE))
        .count(
            Named.as("count"),
            Materialized.<String, Long, WindowStore<Bytes, byte[]>>as(STORE)
                .withKeySerde(Serdes.String())
                .withValueSerde(Serdes.Long()));
    return builder.build();
  }

  private static <V> KStream<String, Integer> ones(StreamsBuilder builder, Topic<String, V> topic) {
    return builder.stream(
            topic.name(),
            Consumed.with(topic.keySerde(), topic.valueSerde()).withName(topic.name() + "-source"))
        .mapValues(v -> 1, Named.as(topic.name() + "-one"));
  }
}
