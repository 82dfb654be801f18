package dev.tessera.serving.demo.fraud;

import dev.tessera.serving.demo.Randoms;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * How the fraud world keys and places its transaction records on purpose the way the many producers
 * of a real fraud pipeline would: a third keyed by the transaction id (placed by the Java client's
 * default partitioner), a third with no key (a random partition), a third keyed by the user id but
 * on the partition librdkafka's default partitioner, {@code consistent_random}, picks for it: the
 * CRC32 of the key bytes, taken as an unsigned 32-bit number, modulo the partition count (not the
 * murmur2 the Java client and Kafka Streams use). A consumer must therefore read the user from the
 * value, not trust the key or the partition. Users are keyed by user id, placed by the Java default
 * partitioner.
 *
 * <pre>{@code
 * int p = FraudKeys.librdkafkaPartition("U-17".getBytes(UTF_8), 3);
 * }</pre>
 */
public final class FraudKeys {
  /** How one transaction is keyed. */
  public enum Style {
    /** Key {@code txn_id}; the Java default partitioner (murmur2) places it. */
    TXN_ID,
    /** No key; a random partition, as librdkafka does with a null key. */
    NULL,
    /** Key user id, on the partition librdkafka's {@code consistent_random} picks. */
    USER_ID_LIBRDKAFKA
  }

  private FraudKeys() {}

  /** The style of a transaction: a third each, by a hash of its id; fixed for the id. */
  public static Style style(String txnId) {
    Style[] styles = Style.values();
    return styles[(int) Math.floorMod(Randoms.mix64(txnId.hashCode()), (long) styles.length)];
  }

  /**
   * The partition librdkafka's {@code consistent} and {@code consistent_random} partitioners give a
   * non-empty key: {@code rd_crc32(key) % partition_cnt}, the CRC32 (IEEE, as {@link CRC32}) as an
   * unsigned 32-bit value.
   *
   * @throws IllegalArgumentException if the key is empty (librdkafka picks at random then) or
   *     {@code partitions < 1}
   */
  public static int librdkafkaPartition(byte[] key, int partitions) {
    if (key.length == 0) {
      throw new IllegalArgumentException("librdkafka places an empty key at random");
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("Need at least one partition, got " + partitions);
    }
    var crc = new CRC32();
    crc.update(key);
    long unsigned = crc.getValue() & 0xFFFF_FFFFL; // getValue is already 0 .. 2^32 - 1
    return (int) (unsigned % partitions);
  }

  /**
   * The record of a transaction on {@code topic} of {@code partitions} partitions: key and
   * partition by {@link #style}; {@code random} picks the partition of a record without a key.
   */
  public static ProducerRecord<String, String> record(
      String topic, FraudTransaction t, int partitions, SplittableRandom random) {
    return switch (style(t.txnId())) {
      case TXN_ID -> new ProducerRecord<>(topic, null, t.txnId(), t.toJson());
      case NULL -> new ProducerRecord<>(topic, random.nextInt(partitions), null, t.toJson());
      case USER_ID_LIBRDKAFKA ->
          new ProducerRecord<>(
              topic,
              librdkafkaPartition(t.userId().getBytes(StandardCharsets.UTF_8), partitions),
              t.userId(),
              t.toJson());
    };
  }
}
