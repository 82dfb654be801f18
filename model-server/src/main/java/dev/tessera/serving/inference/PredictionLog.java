package dev.tessera.serving.inference;

import dev.tessera.schemas.Prediction;
import dev.tessera.schemas.topic.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes every scored row to the {@code predictions} topic without ever making a request wait: rows
 * go into a bounded queue that one thread hands to an idempotent producer. A full queue or a failed
 * send is counted, never thrown at the caller.
 *
 * <pre>{@code
 * try (PredictionLog log = PredictionLog.start(topics.predictions(), clientProps, 100_000)) {
 *   log.append(prediction);
 * }
 * }</pre>
 */
public final class PredictionLog implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PredictionLog.class);
  private static final Prediction POISON = new Prediction();

  private final Topic<String, Prediction> topic;
  private final Producer<String, Prediction> producer;
  private final BlockingQueue<Prediction> queue;
  private final Thread sender;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();

  private PredictionLog(
      Topic<String, Prediction> topic, Producer<String, Prediction> producer, int queueSize) {
    this.topic = topic;
    this.producer = producer;
    this.queue = new ArrayBlockingQueue<>(queueSize);
    this.sender = new Thread(this::drain, "tessera-prediction-log");
    this.sender.setDaemon(true);
  }

  /** Starts the log with an idempotent producer (acks=all) built from {@code clientProps}. */
  public static PredictionLog start(
      Topic<String, Prediction> topic, Properties clientProps, int queueSize) {
    var producer = topic.idempotentProducer(clientProps, "tessera-prediction-log");
    var predictionLog = new PredictionLog(topic, producer, queueSize);
    predictionLog.sender.start();
    return predictionLog;
  }

  /**
   * Starts the log on a producer the caller built, e.g. a {@code MockProducer} in tests; the log
   * closes it.
   */
  public static PredictionLog start(
      Topic<String, Prediction> topic, Producer<String, Prediction> producer, int queueSize) {
    var predictionLog = new PredictionLog(topic, producer, queueSize);
    predictionLog.sender.start();
    return predictionLog;
  }

  /** Queues a row for writing; never blocks. */
  public void append(Prediction prediction) {
    if (!queue.offer(prediction)) {
      dropped.incrementAndGet();
    }
  }

  /** Rows acknowledged by Kafka. */
  public long sent() {
    return sent.get();
  }

  /** Rows Kafka refused after the producer's retries. */
  public long failed() {
    return failed.get();
  }

  /** Rows dropped because the queue was full. */
  public long dropped() {
    return dropped.get();
  }

  private void drain() {
    List<Prediction> batch = new ArrayList<>();
    try {
      while (true) {
        batch.add(queue.take());
        queue.drainTo(batch, 1023);
        for (Prediction p : batch) {
          if (p == POISON) {
            return;
          }
          send(p);
        }
        batch.clear();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void send(Prediction p) {
    String key = p.getEntityKeys().values().stream().findFirst().orElse(null);
    try {
      producer.send(
          new ProducerRecord<>(topic.name(), key, p),
          (metadata, error) -> {
            if (error == null) {
              sent.incrementAndGet();
            } else {
              failed.incrementAndGet();
              log.warn("Could not log prediction {}: {}", p.getRequestId(), error.toString());
            }
          });
    } catch (RuntimeException e) {
      failed.incrementAndGet();
      log.warn("Could not log prediction {}: {}", p.getRequestId(), e.toString());
    }
  }

  /** Writes what is queued, then closes the producer. */
  @Override
  public void close() {
    try {
      queue.put(POISON);
      sender.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(30));
  }
}
