package dev.tessera.features.offline;

import dev.tessera.features.definition.FeatureView;
import dev.tessera.features.definition.SourceDeclaration;
import dev.tessera.features.source.SourceDecoder;
import dev.tessera.features.topology.FeatureTopology;
import dev.tessera.features.topology.RowTime;
import dev.tessera.schemas.serde.InvalidEventException;
import dev.tessera.schemas.serde.WriterSchemas;
import dev.tessera.schemas.topic.Topic;
import dev.tessera.schemas.topic.TopicCatalog;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The input events an offline run replays, in event-time order (ties keep log order). Read from
 * Kafka (every partition from the beginning to the end offsets at the time of reading) or from a
 * directory of JSON-lines files, one per topic ({@code orders.jsonl}, {@code clicks.jsonl}, {@code
 * customers.jsonl}). Records that do not decode, or have no event time, are left out and counted:
 * the online pipeline dead-letters them too. So are tombstones of the customers table (a replay
 * keeps each customer's last row).
 *
 * <pre>{@code
 * Map<String, String> time = FeatureTopology.timeFields(registry.views());
 * EventLog log = EventLog.fromKafka(clientProps, topics, time, Duration.ofMinutes(2));
 * EventLog files = EventLog.fromDirectory(Path.of("world"), topics, time);
 * }</pre>
 */
public final class EventLog {
  private final List<LoggedEvent> events;
  private final Map<String, Integer> rejected;
  private final WriterSchemas writerSchemas;

  private EventLog(
      List<LoggedEvent> events, Map<String, Integer> rejected, WriterSchemas writerSchemas) {
    var sorted = new ArrayList<>(events);
    sorted.sort(Comparator.comparingLong(LoggedEvent::time));
    this.events = List.copyOf(sorted);
    this.rejected = Map.copyOf(rejected);
    this.writerSchemas = writerSchemas;
  }

  /** Events already decoded to their time, e.g. from a test. */
  public static EventLog of(List<LoggedEvent> events) {
    return new EventLog(events, Map.of(), WriterSchemas.none());
  }

  /**
   * The other schemas the values may have been written with (those of the topic catalogue they were
   * read with), for a replay to decode them as the pipeline does.
   */
  public WriterSchemas writerSchemas() {
    return writerSchemas;
  }

  /** Events in time order. */
  public List<LoggedEvent> events() {
    return events;
  }

  /** Records left out per topic because they did not decode or had no event time. */
  public Map<String, Integer> rejected() {
    return rejected;
  }

  public static EventLog fromDirectory(
      Path dir, TopicCatalog topics, Map<String, String> timeFields) {
    return fromDirectory(dir, topics, timeFields, Map.of());
  }

  /**
   * The inputs of {@code views} from a directory: every topic they read, declared sources included
   * ({@code <topic>.jsonl}, one value per line, with no record key).
   */
  public static EventLog fromDirectory(Path dir, TopicCatalog topics, List<FeatureView> views) {
    return fromDirectory(
        dir, topics, FeatureTopology.timeFields(views), FeatureTopology.declaredSources(views));
  }

  private static EventLog fromDirectory(
      Path dir,
      TopicCatalog topics,
      Map<String, String> timeFields,
      Map<String, SourceDeclaration> declared) {
    var reader = new Reader(topics, timeFields, declared);
    for (String topic : timeFields.keySet()) {
      Path file = dir.resolve(topic + ".jsonl");
      if (!Files.exists(file)) {
        continue;
      }
      try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        String line;
        while ((line = in.readLine()) != null) {
          if (!line.isBlank()) {
            reader.add(topic, null, line.getBytes(StandardCharsets.UTF_8));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read events from " + file, e);
      }
    }
    return reader.log();
  }

  /**
   * Reads every partition of the topics in {@code timeFields} from the beginning up to the end
   * offsets found when it starts.
   */
  public static EventLog fromKafka(
      Properties clientProps,
      TopicCatalog topics,
      Map<String, String> timeFields,
      Duration timeout) {
    return fromKafka(clientProps, topics, timeFields, Map.of(), timeout);
  }

  /** The inputs of {@code views} from Kafka: every topic they read, declared sources included. */
  public static EventLog fromKafka(
      Properties clientProps, TopicCatalog topics, List<FeatureView> views, Duration timeout) {
    return fromKafka(
        clientProps,
        topics,
        FeatureTopology.timeFields(views),
        FeatureTopology.declaredSources(views),
        timeout);
  }

  private static EventLog fromKafka(
      Properties clientProps,
      TopicCatalog topics,
      Map<String, String> timeFields,
      Map<String, SourceDeclaration> declared,
      Duration timeout) {
    var props = new Properties();
    props.putAll(clientProps);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    var reader = new Reader(topics, timeFields, declared);
    try (var consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      var partitions = new ArrayList<TopicPartition>();
      for (String topic : timeFields.keySet()) {
        consumer.partitionsFor(topic, timeout).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .forEach(partitions::add);
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, timeout));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!caughtUp(consumer, end)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "Reading the event log took longer than " + timeout + "; still behind on " + end);
        }
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          reader.add(r.topic(), r.key(), r.value());
        }
      }
    }
    return reader.log();
  }

  private static boolean caughtUp(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
    end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
    return end.isEmpty();
  }

  /** Decodes values with the topics' own serdes to find each event's time. */
  private static final class Reader {
    private final Map<String, Topic<String, ? extends SpecificRecord>> topics;
    private final Map<String, String> timeFields;
    private final List<LoggedEvent> events = new ArrayList<>();
    private final Map<String, Integer> rejected = new LinkedHashMap<>();
    private final WriterSchemas writerSchemas;
    private final Map<String, RowTime> times = new HashMap<>();
    private final Map<String, SourceDecoder> declared = new HashMap<>();

    Reader(
        TopicCatalog catalog,
        Map<String, String> timeFields,
        Map<String, SourceDeclaration> declaredSources) {
      this.timeFields = timeFields;
      this.writerSchemas = catalog.writerSchemas();
      declaredSources.forEach(
          (topic, source) -> declared.put(topic, SourceDecoder.of(source, writerSchemas)));
      this.topics =
          List.<Topic<String, ? extends SpecificRecord>>of(
                  catalog.orders(), catalog.clicks(), catalog.customers(), catalog.outcomes())
              .stream()
              .collect(Collectors.toMap(Topic::name, t -> t));
    }

    void add(String topic, String key, byte[] value) {
      SourceDecoder decoder = declared.get(topic);
      if (decoder != null) {
        addDeclared(topic, key, value, decoder);
        return;
      }
      Topic<String, ? extends SpecificRecord> t = topics.get(topic);
      if (t == null) {
        throw new IllegalArgumentException("No event topic named " + topic);
      }
      SpecificRecord event;
      try {
        event = value == null ? null : t.valueSerde().deserializer().deserialize(topic, value);
      } catch (InvalidEventException e) {
        event = null; // a schema registry that does not answer is not the record's fault: thrown
      }
      Instant time = event == null ? null : timeOf(topic, event);
      if (time == null) {
        rejected.merge(topic, 1, Integer::sum);
        return;
      }
      String k =
          key != null
              ? key
              : String.valueOf(event.get(event.getSchema().getField("customer_id").pos()));
      events.add(new LoggedEvent(topic, k, value, time.toEpochMilli()));
    }

    /** A declared source's record: its time is the row's last field. */
    private void addDeclared(String topic, String key, byte[] value, SourceDecoder decoder) {
      GenericRecord row;
      try {
        row = value == null ? null : decoder.decode(value);
      } catch (InvalidEventException e) {
        row = null;
      }
      if (row == null) {
        rejected.merge(topic, 1, Integer::sum);
        return;
      }
      Instant time = (Instant) row.get(row.getSchema().getFields().size() - 1);
      events.add(new LoggedEvent(topic, key, value, time.toEpochMilli()));
    }

    private Instant timeOf(String topic, SpecificRecord event) {
      RowTime time = times.get(topic);
      if (time == null) {
        time = RowTime.of(event.getSchema(), timeFields.get(topic));
        times.put(topic, time);
      }
      return time.of(event);
    }

    EventLog log() {
      return new EventLog(events, rejected, writerSchemas);
    }
  }
}
