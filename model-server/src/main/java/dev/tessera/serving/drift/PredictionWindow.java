package dev.tessera.serving.drift;

import dev.tessera.schemas.Prediction;
import dev.tessera.schemas.topic.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the served rows of a recent window from the {@code predictions} topic: every partition from
 * the offset of the window's start ({@code offsetsForTimes}, by the records' timestamps, which the
 * prediction log sets to the scoring time) to the end offsets found when it starts. A plain
 * assigned consumer with no group: nothing is committed, every node reads the whole topic. At most
 * {@code maxRows} rows, the newest: each partition starts no earlier than its share of them before
 * its end.
 */
final class PredictionWindow implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(200);

  private final Topic<String, Prediction> topic;
  private final KafkaConsumer<String, Prediction> consumer;

  PredictionWindow(Topic<String, Prediction> topic, Properties clientProps) {
    var props = new Properties();
    props.putAll(clientProps);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "tessera-drift-monitor");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    this.topic = topic;
    this.consumer =
        new KafkaConsumer<>(
            props, topic.keySerde().deserializer(), topic.valueSerde().deserializer());
  }

  /** Rows stamped at or after {@code fromMillis}, newest {@code maxRows} of them at most. */
  List<Prediction> read(long fromMillis, int maxRows, Duration timeout) {
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic.name(), timeout).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    consumer.assign(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
    var from = new HashMap<TopicPartition, Long>();
    partitions.forEach(p -> from.put(p, fromMillis));
    Map<TopicPartition, OffsetAndTimestamp> start = consumer.offsetsForTimes(from, timeout);
    long share = Math.max(1, (maxRows + partitions.size() - 1) / partitions.size());
    var remaining = new HashMap<TopicPartition, Long>();
    for (TopicPartition p : partitions) {
      OffsetAndTimestamp at = start.get(p);
      long last = end.get(p);
      long first = at == null ? last : Math.max(at.offset(), last - share);
      consumer.seek(p, first);
      if (first < last) {
        remaining.put(p, last);
      }
    }
    var rows = new ArrayList<Prediction>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!remaining.isEmpty() && System.nanoTime() < deadline) {
      for (ConsumerRecord<String, Prediction> r : consumer.poll(POLL)) {
        Long last = remaining.get(new TopicPartition(r.topic(), r.partition()));
        if (last != null && r.offset() < last && r.value() != null && r.timestamp() >= fromMillis) {
          rows.add(r.value());
        }
      }
      remaining.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
    }
    if (rows.size() > maxRows) {
      rows.sort(Comparator.comparing(Prediction::getTs).reversed());
      return List.copyOf(rows.subList(0, maxRows));
    }
    return rows;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
