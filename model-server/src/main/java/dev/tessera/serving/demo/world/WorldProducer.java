package dev.tessera.serving.demo.world;

import dev.tessera.schemas.Click;
import dev.tessera.schemas.Customer;
import dev.tessera.schemas.Order;
import dev.tessera.schemas.Outcome;
import dev.tessera.schemas.topic.Topic;
import dev.tessera.schemas.topic.TopicCatalog;
import dev.tessera.serving.demo.LivePacing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * Writes a {@link ChurnWorld} to Kafka: the {@code customers}, {@code orders}, {@code clicks} and
 * {@code outcomes} topics of the catalogue, keyed by customer id, Avro single-object encoded by the
 * catalogue's serdes, with one idempotent producer per topic ({@code acks=all}).
 *
 * <pre>{@code
 * try (var producer = new WorldProducer(config.topics(), config.clientProperties())) {
 *   world.history().forEach(producer::accept);   // as fast as the broker takes it
 *   producer.flush();
 *   producer.stream(world.live(Instant.now(), 20), 0, stop); // 20 events/s until stop
 * }
 * }</pre>
 *
 * <p>Records keep the producer's timestamp (the time of sending): Tessera reads event time from the
 * record itself, and stamping months-old event times on the records would let the broker's
 * time-based retention (7 days by default) delete the history as soon as a segment rolls.
 *
 * <p>The first failed send is reported by the next {@link #accept}, {@link #flush} or {@link
 * #close}. Not thread-safe.
 */
public final class WorldProducer implements WorldSink {
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private final Lane<Customer> customers;
  private final Lane<Order> orders;
  private final Lane<Click> clicks;
  private final Lane<Outcome> outcomes;
  private final List<Lane<?>> lanes;
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private final Callback check = (metadata, e) -> failure.compareAndSet(null, e);

  /** One topic, its producer and how many records went to it. */
  private static final class Lane<V> {
    final Topic<String, V> topic;
    final KafkaProducer<String, V> producer;
    long sent;

    Lane(Topic<String, V> topic, Properties clientProps) {
      this.topic = topic;
      this.producer = topic.idempotentProducer(clientProps, "tessera-world-" + topic.name());
    }

    void send(String key, V value, Callback check) {
      producer.send(new ProducerRecord<>(topic.name(), key, value), check);
      sent++;
    }
  }

  public WorldProducer(TopicCatalog topics, Properties clientProps) {
    var opened = new ArrayList<Lane<?>>();
    try {
      this.customers = add(opened, new Lane<>(topics.customers(), clientProps));
      this.orders = add(opened, new Lane<>(topics.orders(), clientProps));
      this.clicks = add(opened, new Lane<>(topics.clicks(), clientProps));
      this.outcomes = add(opened, new Lane<>(topics.outcomes(), clientProps));
    } catch (RuntimeException e) {
      opened.forEach(lane -> lane.producer.close(Duration.ZERO));
      throw e;
    }
    this.lanes = List.copyOf(opened);
  }

  private static <V> Lane<V> add(List<Lane<?>> lanes, Lane<V> lane) {
    lanes.add(lane);
    return lane;
  }

  @Override
  public void accept(WorldEvent event) {
    throwIfFailed();
    if (event.value() instanceof Order o) {
      orders.send(event.key(), o, check);
    } else if (event.value() instanceof Click c) {
      clicks.send(event.key(), c, check);
    } else if (event.value() instanceof Customer c) {
      customers.send(event.key(), c, check);
    } else if (event.value() instanceof Outcome o) {
      outcomes.send(event.key(), o, check);
    } else {
      throw new IllegalArgumentException(
          "Not a world record: " + event.value().getClass().getName());
    }
  }

  /**
   * Sends the live phase paced by its event times: event {@code k} goes out when the wall clock has
   * moved on from the first event's send by as much as event {@code k}'s time from the first
   * event's time. Start {@code live} at {@code Instant.now()} and records carry roughly the time
   * they are sent. Returns after {@code limit} events (0: no limit), when {@code stop} says so
   * (checked at least every 100 ms), or when every customer has churned; then flushes.
   *
   * @return the number of live events sent
   */
  public long stream(LiveWorld live, long limit, BooleanSupplier stop) {
    long sent = LivePacing.send(live, this::accept, limit, stop);
    flush();
    return sent;
  }

  @Override
  public void flush() {
    for (Lane<?> lane : lanes) {
      lane.producer.flush();
    }
    throwIfFailed();
  }

  @Override
  public Map<String, Long> counts() {
    var counts = new LinkedHashMap<String, Long>();
    for (Lane<?> lane : lanes) {
      counts.put(lane.topic.name(), lane.sent);
    }
    return Collections.unmodifiableMap(counts);
  }

  @Override
  public void close() {
    for (Lane<?> lane : lanes) {
      lane.producer.close(CLOSE_TIMEOUT);
    }
    throwIfFailed();
  }

  private void throwIfFailed() {
    Exception e = failure.get();
    if (e != null) {
      throw new KafkaException("Producing the demo world failed: " + e.getMessage(), e);
    }
  }
}
