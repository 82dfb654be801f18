package dev.tessera.serving.control;

import dev.tessera.schemas.topic.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a one-partition compacted control topic ({@code tessera-registry}, {@code
 * tessera-endpoints}) on a thread of its own: reads it from the beginning, committed records only,
 * hands every record to {@code apply} in topic order, and keeps following. {@link #awaitCaughtUp}
 * waits until everything committed before the call has been applied, so a node starts complete and
 * a writer reads its own write back.
 *
 * <pre>{@code
 * var follower = ControlTopicFollower.start(topics.endpoints(), clientProps, "endpoints", this::apply);
 * follower.awaitCaughtUp(Duration.ofSeconds(30));
 * }</pre>
 */
public final class ControlTopicFollower implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ControlTopicFollower.class);
  private static final Duration POLL = Duration.ofMillis(100);

  private final String topic;
  private final TopicPartition partition;
  private final KafkaConsumer<String, byte[]> consumer;
  private final Consumer<List<ConsumerRecord<String, byte[]>>> apply;
  private final ConcurrentLinkedQueue<CompletableFuture<Void>> catchUps =
      new ConcurrentLinkedQueue<>();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Throwable failure;

  private ControlTopicFollower(
      Topic<String, byte[]> topic,
      Properties clientProps,
      String name,
      Consumer<List<ConsumerRecord<String, byte[]>>> apply) {
    this.topic = topic.name();
    this.partition = new TopicPartition(topic.name(), 0);
    this.apply = apply;
    var props = new Properties();
    props.putAll(clientProps);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "tessera-" + name + "-follower");
    // A registry chunk is up to 512 KiB: let one fetch carry several.
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
    this.consumer =
        new KafkaConsumer<>(
            props, topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    this.thread = new Thread(this::run, "tessera-" + name + "-follower");
    this.thread.setDaemon(true);
  }

  /** Starts following {@code topic}, which must exist (a node's pipeline creates it). */
  public static ControlTopicFollower start(
      Topic<String, byte[]> topic,
      Properties clientProps,
      String name,
      Consumer<ConsumerRecord<String, byte[]>> apply) {
    return startBatched(topic, clientProps, name, records -> records.forEach(apply));
  }

  /**
   * As {@link #start}, handing over the records of each poll together, in topic order: a reader
   * that applies them under one lock shows the records of one transaction (they become readable at
   * once, with its commit) together, never one without the other.
   */
  public static ControlTopicFollower startBatched(
      Topic<String, byte[]> topic,
      Properties clientProps,
      String name,
      Consumer<List<ConsumerRecord<String, byte[]>>> apply) {
    var follower = new ControlTopicFollower(topic, clientProps, name, apply);
    follower.consumer.assign(List.of(follower.partition));
    follower.consumer.seekToBeginning(List.of(follower.partition));
    follower.thread.start();
    return follower;
  }

  /**
   * Waits until every record committed to the topic before this call has been applied.
   *
   * @throws TimeoutException if that takes longer than {@code timeout}
   * @throws IllegalStateException if the follower has failed or is closed
   */
  public void awaitCaughtUp(Duration timeout) throws TimeoutException {
    checkRunning();
    var request = new CompletableFuture<Void>();
    catchUps.add(request);
    try {
      request.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while reading " + topic, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "Reading " + topic + " failed: " + e.getCause().getMessage(), e.getCause());
    }
  }

  /**
   * @throws IllegalStateException if the follower has failed or is closed
   */
  public void checkRunning() {
    if (failure != null) {
      throw new IllegalStateException(
          "The follower of " + topic + " failed: " + failure.getMessage(), failure);
    }
    if (!running) {
      throw new IllegalStateException("The follower of " + topic + " is closed");
    }
  }

  public String topic() {
    return topic;
  }

  private void run() {
    var waiting = new ArrayList<Map.Entry<Long, CompletableFuture<Void>>>();
    try {
      while (running) {
        for (CompletableFuture<Void> r; (r = catchUps.poll()) != null; ) {
          // For a read_committed consumer this is the last stable offset: committed data only.
          waiting.add(Map.entry(consumer.endOffsets(List.of(partition)).get(partition), r));
        }
        // No wakeup(): a short poll bounds how long a catch-up request or close() waits.
        ConsumerRecords<String, byte[]> polled = consumer.poll(POLL);
        if (!polled.isEmpty()) {
          apply.accept(polled.records(partition));
        }
        if (!waiting.isEmpty()) {
          long position = consumer.position(partition);
          waiting.removeIf(
              w -> {
                if (w.getKey() <= position) {
                  w.getValue().complete(null);
                  return true;
                }
                return false;
              });
        }
      }
    } catch (RuntimeException e) {
      failure = e;
      log.error("The follower of {} stopped", topic, e);
    } finally {
      Throwable why =
          failure != null
              ? failure
              : new IllegalStateException("The follower of " + topic + " is closed");
      waiting.forEach(w -> w.getValue().completeExceptionally(why));
      catchUps.forEach(r -> r.completeExceptionally(why));
      consumer.close();
    }
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
