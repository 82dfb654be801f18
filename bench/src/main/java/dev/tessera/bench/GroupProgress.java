package dev.tessera.bench;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a consumer group (a Kafka Streams application id) has committed through its input topics,
 * read from the group coordinator as any operator would: committed offsets against the topics' end
 * offsets. Internal topics of the group (repartition topics) are checked too, against their last
 * stable offset, because they are written transactionally.
 */
final class GroupProgress {
  private static final long TIMEOUT_MS = 10_000;

  private final Admin admin;
  private final String group;
  private final Map<TopicPartition, Long> inputEnds;

  /** Takes the end offsets of {@code inputs} now: they must not grow while it is used. */
  GroupProgress(Admin admin, String group, Collection<String> inputs) {
    this.admin = admin;
    this.group = group;
    var partitions = new HashMap<TopicPartition, OffsetSpec>();
    try {
      admin
          .describeTopics(inputs)
          .allTopicNames()
          .get(TIMEOUT_MS, TimeUnit.MILLISECONDS)
          .forEach(
              (name, description) ->
                  description
                      .partitions()
                      .forEach(
                          p ->
                              partitions.put(
                                  new TopicPartition(name, p.partition()), OffsetSpec.latest())));
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new KafkaException("Cannot describe input topics " + inputs, e);
    }
    this.inputEnds = ends(partitions);
  }

  /** Records on the input topics. */
  long inputRecords() {
    return inputEnds.values().stream().mapToLong(Long::longValue).sum();
  }

  List<String> inputTopics() {
    return inputEnds.keySet().stream().map(TopicPartition::topic).distinct().sorted().toList();
  }

  /** Input records the group has committed so far. */
  long committedInputRecords() {
    Map<TopicPartition, OffsetAndMetadata> committed = committed();
    long sum = 0;
    for (TopicPartition tp : inputEnds.keySet()) {
      OffsetAndMetadata c = committed.get(tp);
      sum += c == null ? 0 : c.offset();
    }
    return sum;
  }

  /**
   * Whether the group has committed every input record and everything it wrote to its own
   * repartition topics.
   */
  boolean caughtUp() {
    Map<TopicPartition, OffsetAndMetadata> committed = committed();
    for (Map.Entry<TopicPartition, Long> end : inputEnds.entrySet()) {
      OffsetAndMetadata c = committed.get(end.getKey());
      if (c == null || c.offset() < end.getValue()) {
        return false;
      }
    }
    var internal = new HashMap<TopicPartition, OffsetSpec>();
    committed.keySet().stream()
        .filter(tp -> !inputEnds.containsKey(tp))
        .forEach(tp -> internal.put(tp, OffsetSpec.latest()));
    if (internal.isEmpty()) {
      return true;
    }
    Map<TopicPartition, Long> stable = ends(internal);
    return stable.entrySet().stream()
        .allMatch(e -> committed.get(e.getKey()).offset() >= e.getValue());
  }

  private Map<TopicPartition, OffsetAndMetadata> committed() {
    try {
      var offsets =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      var present = new HashMap<TopicPartition, OffsetAndMetadata>();
      offsets.forEach(
          (tp, om) -> {
            if (om != null) {
              present.put(tp, om);
            }
          });
      return present;
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new KafkaException("Cannot read committed offsets of group " + group, e);
    }
  }

  private Map<TopicPartition, Long> ends(Map<TopicPartition, OffsetSpec> partitions) {
    try {
      Map<TopicPartition, ListOffsetsResultInfo> infos =
          admin
              .listOffsets(partitions, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
              .all()
              .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      var ends = new HashMap<TopicPartition, Long>();
      infos.forEach((tp, info) -> ends.put(tp, info.offset()));
      return ends;
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new KafkaException("Cannot list end offsets of " + partitions.keySet(), e);
    }
  }
}
