package dev.tessera.serving.demo;

import dev.tessera.schemas.Order;
import dev.tessera.schemas.topic.Topic;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Produces demo orders to Kafka: history as fast as the broker takes it, then a live stream at a
 * fixed rate with the current time as event time.
 */
public final class OrderProducer implements AutoCloseable {
  private final Topic<String, Order> topic;
  private final KafkaProducer<String, Order> producer;
  private long produced;

  public OrderProducer(Topic<String, Order> topic, Properties clientProps) {
    this.topic = topic;
    this.producer = topic.idempotentProducer(clientProps, "tessera-demo-producer");
  }

  /** Sends the orders in order and waits until Kafka has them. */
  public void send(List<Order> orders) {
    for (Order o : orders) {
      send(o);
    }
    producer.flush();
  }

  private void send(Order order) {
    producer.send(new ProducerRecord<>(topic.name(), order.getCustomerId(), order));
    produced++;
  }

  /**
   * Sends {@code perSecond} live orders a second until {@code stop} says so or {@code limit} orders
   * were sent (0: no limit).
   */
  public void stream(DemoOrders demo, double perSecond, long limit, BooleanSupplier stop) {
    long intervalNanos = (long) (1e9 / perSecond);
    long next = System.nanoTime();
    long sent = 0;
    while (!stop.getAsBoolean() && (limit == 0 || sent < limit)) {
      send(demo.next(Instant.now()));
      sent++;
      next += intervalNanos;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
    }
    producer.flush();
  }

  /** Orders sent so far. */
  public long produced() {
    return produced;
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
