package dev.tessera.features.topology;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Passes on the records of a source topic that are on the partition Kafka's Java partitioner gives
 * their key (murmur2 of its bytes), or, as the other half of a pair, those that are not.
 *
 * <p>Lookups find a key's stores through that partitioner, so a record a producer put elsewhere
 * (librdkafka's default, used by kcat, Python, Go, .NET and Node clients, hashes with CRC32; a
 * producer may also choose partitions itself) must reach them through a repartition topic first:
 * see {@link FeatureTopology}. A record without metadata (punctuation) counts as on its partition.
 */
final class KeyPartitionFilter<V> implements FixedKeyProcessor<String, V, V> {
  private final int partitions;
  private final boolean passOnKeyPartition;
  private FixedKeyProcessorContext<String, V> context;

  /**
   * @param partitions the source topic's partition count
   * @param passOnKeyPartition true to pass the records on their key's partition, false the others
   */
  KeyPartitionFilter(int partitions, boolean passOnKeyPartition) {
    this.partitions = partitions;
    this.passOnKeyPartition = passOnKeyPartition;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, V> context) {
    this.context = context;
  }

  @Override
  public void process(FixedKeyRecord<String, V> record) {
    if (onKeyPartition(record.key()) == passOnKeyPartition) {
      context.forward(record);
    }
  }

  private boolean onKeyPartition(String key) {
    int actual = context.recordMetadata().map(RecordMetadata::partition).orElse(-1);
    return actual < 0 || actual == partitionOf(key, partitions);
  }

  /** The partition Kafka's Java producer and Streams' lookups give {@code key}. */
  static int partitionOf(String key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
  }
}
