package dev.tessera.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;

/**
 * The size on the broker of an application's changelog topics, per partition, as the Admin API
 * describes its log dirs (the bytes of the partition's log segments). With one replica per
 * partition, this is what a restore has to read.
 */
final class ChangelogSize {
  private static final long TIMEOUT_MS = 30_000;

  private ChangelogSize() {}

  /**
   * Bytes per changelog partition of {@code applicationId}, over every broker's log dirs; replicas
   * of one partition count once (the largest).
   */
  static Map<TopicPartition, Long> of(Admin admin, String applicationId) {
    try {
      List<Integer> brokers =
          admin.describeCluster().nodes().get(TIMEOUT_MS, TimeUnit.MILLISECONDS).stream()
              .map(Node::id)
              .toList();
      var sizes = new HashMap<TopicPartition, Long>();
      for (Map<String, LogDirDescription> dirs :
          admin
              .describeLogDirs(brokers)
              .allDescriptions()
              .get(TIMEOUT_MS, TimeUnit.MILLISECONDS)
              .values()) {
        for (LogDirDescription dir : dirs.values()) {
          dir.replicaInfos().forEach((tp, replica) -> sizes.merge(tp, replica.size(), Math::max));
        }
      }
      return changelogs(sizes, applicationId);
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new KafkaException("Cannot describe the log dirs of " + applicationId, e);
    }
  }

  /**
   * The entries of {@code sizes} that are changelogs of {@code applicationId}: topics named {@code
   * <applicationId>-<store>-changelog}.
   */
  static Map<TopicPartition, Long> changelogs(
      Map<TopicPartition, Long> sizes, String applicationId) {
    var changelogs = new HashMap<TopicPartition, Long>();
    sizes.forEach(
        (tp, size) -> {
          if (tp.topic().startsWith(applicationId + "-") && tp.topic().endsWith("-changelog")) {
            changelogs.put(tp, size);
          }
        });
    return changelogs;
  }

  static long total(Map<TopicPartition, Long> sizes) {
    return sizes.values().stream().mapToLong(Long::longValue).sum();
  }
}
