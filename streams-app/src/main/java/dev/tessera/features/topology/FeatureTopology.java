package dev.tessera.features.topology;

import dev.tessera.features.definition.FeatureView;
import dev.tessera.schemas.serde.EventSerde;
import dev.tessera.schemas.topic.Topic;
import dev.tessera.schemas.topic.TopicCatalog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;

/**
 * Compiles feature views into a Kafka Streams topology. A pure factory: no I/O, so tests build the
 * same topology the application runs.
 *
 * <pre>{@code
 * Topology topology = FeatureTopology.build(registry.views(), TopicCatalog.defaults());
 * new KafkaStreams(topology, props).start();
 * }</pre>
 *
 * <p>Each source topic is read once; every view on it gets its own aggregating processor and
 * stores. Input topics are keyed by the entity key, so nothing is repartitioned.
 */
public final class FeatureTopology {
  private FeatureTopology() {}

  public static Topology build(List<FeatureView> views, TopicCatalog topics) {
    var bySource = new LinkedHashMap<String, List<FeatureView>>();
    for (FeatureView view : views) {
      bySource.computeIfAbsent(view.sourceTopic(), t -> new ArrayList<>()).add(view);
    }
    var builder = new StreamsBuilder();
    for (Map.Entry<String, List<FeatureView>> source : bySource.entrySet()) {
      Topic<String, ? extends SpecificRecord> topic =
          eventTopic(topics, source.getKey())
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "View "
                              + source.getValue().get(0).name()
                              + " reads unknown topic "
                              + source.getKey()
                              + "; event topics are orders, clicks, customers, outcomes"));
      addSource(builder, topic, source.getValue());
    }
    return builder.build();
  }

  private static <V extends SpecificRecord> void addSource(
      StreamsBuilder builder, Topic<String, V> topic, List<FeatureView> views) {
    Schema schema = schemaOf(topic);
    String eventTime = views.get(0).eventTime();
    for (FeatureView view : views) {
      requireField(schema, view, view.entityKey());
      requireField(schema, view, view.eventTime());
      if (!view.eventTime().equals(eventTime)) {
        throw new IllegalArgumentException(
            "Views on "
                + topic.name()
                + " must share one event-time field, got "
                + eventTime
                + " and "
                + view.eventTime());
      }
    }
    KStream<String, V> stream =
        builder.stream(
            topic.name(),
            Consumed.with(topic.keySerde(), topic.valueSerde())
                .withTimestampExtractor(new EventTimeExtractor(schema.getField(eventTime).pos()))
                .withName(topic.name() + "-source"));
    for (FeatureView view : views) {
      stream.process(
          ViewAggregator.<V>supplier(view, schema, topic.partitions()),
          Named.as(view.name() + "-aggregate"));
    }
  }

  private static void requireField(Schema schema, FeatureView view, String field) {
    if (schema.getField(field) == null) {
      throw new IllegalArgumentException(
          "View "
              + view.name()
              + " names field "
              + field
              + ", which "
              + schema.getName()
              + " does not have");
    }
  }

  private static Schema schemaOf(Topic<String, ? extends SpecificRecord> topic) {
    if (topic.valueSerde() instanceof EventSerde<?> events) {
      return events.schema();
    }
    throw new IllegalArgumentException("Topic " + topic.name() + " does not carry Avro events");
  }

  private static Optional<Topic<String, ? extends SpecificRecord>> eventTopic(
      TopicCatalog topics, String name) {
    return Stream.<Topic<String, ? extends SpecificRecord>>of(
            topics.orders(), topics.clicks(), topics.customers(), topics.outcomes())
        .filter(t -> t.name().equals(name))
        .findFirst();
  }
}
