package dev.tessera.serving.demo.fraud;

import dev.tessera.schemas.topic.Topic;
import dev.tessera.serving.demo.LivePacing;
import dev.tessera.serving.demo.Randoms;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Writes a {@link FraudWorld} to Kafka as UTF-8 JSON strings, with one idempotent producer ({@code
 * acks=all}): {@code users} keyed by user id (the Java default partitioner places them), {@code
 * transactions} keyed and placed as {@link FraudKeys} says (a third by {@code txn_id}, a third
 * without a key, a third by user id on librdkafka's partition).
 *
 * <pre>{@code
 * try (Admin admin = Admin.create(props)) {
 *   partitions = TopicAdmin.ensure(admin, FraudProducer.topics(3, (short) 1), timeout);
 * }
 * try (var producer = new FraudProducer(props, partitions.get("transactions"), seed)) {
 *   world.history().forEach(producer::accept);   // as fast as the broker takes it
 *   producer.flush();
 *   producer.stream(world.live(Instant.now(), 20), 0, stop); // 20 transactions/s until stop
 * }
 * }</pre>
 *
 * <p>Records keep the producer's timestamp (the time of sending), not the event time, so that the
 * broker's time-based retention does not delete a month-old history at once; the event time is in
 * the value. The first failed send is reported by the next {@link #accept}, {@link #flush} or
 * {@link #close}. Not thread-safe.
 */
public final class FraudProducer implements FraudSink {
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
  private static final long NULL_KEY_STREAM = 11;

  private final KafkaProducer<String, String> producer;
  private final int transactionPartitions;
  private final SplittableRandom nullKeyPartitions;
  private final Map<String, Long> counts = new LinkedHashMap<>();
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private final Callback check = (metadata, e) -> failure.compareAndSet(null, e);

  /**
   * A producer for a cluster whose {@code transactions} topic has {@code transactionPartitions}
   * partitions (as {@code TopicAdmin.ensure} reports them: librdkafka's partition depends on it).
   * {@code seed} fixes the partitions of records without a key.
   */
  public FraudProducer(Properties clientProps, int transactionPartitions, long seed) {
    if (transactionPartitions < 1) {
      throw new IllegalArgumentException(
          "The transactions topic needs at least one partition, got " + transactionPartitions);
    }
    this.transactionPartitions = transactionPartitions;
    this.nullKeyPartitions = Randoms.derive(seed, NULL_KEY_STREAM, 0);
    this.producer =
        topic(FraudEvent.TRANSACTIONS, 1, (short) 1, Map.of())
            .idempotentProducer(clientProps, "tessera-world-fraud");
    for (String topic : FraudFiles.TOPICS) {
      counts.put(topic, 0L);
    }
  }

  /**
   * The topics to create if missing: {@code users} (compacted) and {@code transactions}, with
   * {@code partitions} partitions each and string serdes.
   */
  public static List<Topic<?, ?>> topics(int partitions, short replicationFactor) {
    return List.of(
        topic(
            FraudEvent.USERS,
            partitions,
            replicationFactor,
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
        topic(FraudEvent.TRANSACTIONS, partitions, replicationFactor, Map.of()));
  }

  private static Topic<String, String> topic(
      String name, int partitions, short replicationFactor, Map<String, String> configs) {
    return new Topic<>(
        name, Serdes.String(), Serdes.String(), partitions, replicationFactor, configs);
  }

  @Override
  public void accept(FraudEvent event) {
    throwIfFailed();
    ProducerRecord<String, String> record;
    if (event instanceof FraudTransaction t) {
      record =
          FraudKeys.record(FraudEvent.TRANSACTIONS, t, transactionPartitions, nullKeyPartitions);
    } else {
      record = new ProducerRecord<>(FraudEvent.USERS, event.userId(), event.toJson());
    }
    producer.send(record, check);
    counts.merge(event.topic(), 1L, Long::sum);
  }

  /**
   * Sends the live phase paced by its event times: transaction {@code k} goes out when the wall
   * clock has moved on from the first send by as much as its event time from the first one's. Start
   * {@code live} at {@code Instant.now()} and records carry roughly the time they are sent. Returns
   * after {@code limit} transactions (0: no limit) or when {@code stop} says so (checked at least
   * every 100 ms); then flushes.
   *
   * @return the number of live transactions sent
   */
  public long stream(FraudLive live, long limit, BooleanSupplier stop) {
    long sent = LivePacing.send(live, this::accept, limit, stop);
    flush();
    return sent;
  }

  @Override
  public void flush() {
    producer.flush();
    throwIfFailed();
  }

  @Override
  public Map<String, Long> counts() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(counts));
  }

  @Override
  public void close() {
    producer.close(CLOSE_TIMEOUT);
    throwIfFailed();
  }

  private void throwIfFailed() {
    Exception e = failure.get();
    if (e != null) {
      throw new KafkaException("Producing the fraud world failed: " + e.getMessage(), e);
    }
  }
}
