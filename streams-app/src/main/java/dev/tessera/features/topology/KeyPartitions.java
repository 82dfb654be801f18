package dev.tessera.features.topology;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Where a record of a source goes to reach the partition Kafka's Java partitioner gives its key
 * (murmur2 of its bytes), which is where lookups find the key's stores: straight on to the merge
 * node {@code <prefix>-keyed} when it is already there, else to the repartition topic {@code
 * <prefix>-by-key} first (librdkafka's default partitioner, used by kcat, Python, Go, .NET and Node
 * clients, hashes with CRC32; a producer may also choose partitions itself).
 *
 * <p>The processor that checks or keys the records (the validator, a declared source's keyer)
 * forwards each record to one of the two child nodes by name, so that a record on its key's
 * partition costs one hash and no extra node. A record without metadata (punctuation) stays.
 *
 * <pre>{@code
 * var route = new KeyPartitions("orders", 6);
 * context.forward(record, route.childFor(record.key(), context.recordMetadata()));
 * }</pre>
 */
final class KeyPartitions {
  private final int partitions;
  private final String stay;
  private final String move;

  /**
   * @param prefix what the nodes are named after: {@code <prefix>-keyed}, {@code <prefix>-by-key}
   * @param partitions the source's partition count
   */
  KeyPartitions(String prefix, int partitions) {
    this.partitions = partitions;
    this.stay = mergeNode(prefix);
    this.move = repartitionName(prefix) + "-repartition-filter";
  }

  /** The merge node of the records on their key's partition and those moved there. */
  static String mergeNode(String prefix) {
    return prefix + "-keyed";
  }

  /** The name of the repartition topic (before Streams' prefix and suffix). */
  static String repartitionName(String prefix) {
    return prefix + "-by-key";
  }

  /** The child node a record with {@code key}, read from {@code metadata}'s partition, goes to. */
  String childFor(String key, Optional<RecordMetadata> metadata) {
    int actual = metadata.map(RecordMetadata::partition).orElse(-1);
    return actual < 0 || actual == partitionOf(key, partitions) ? stay : move;
  }

  /** The partition Kafka's Java producer and Streams' lookups give {@code key}. */
  static int partitionOf(String key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
  }
}
