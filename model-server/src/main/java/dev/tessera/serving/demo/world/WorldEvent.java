package dev.tessera.serving.demo.world;

import dev.tessera.schemas.Click;
import dev.tessera.schemas.Customer;
import dev.tessera.schemas.Order;
import dev.tessera.schemas.Outcome;
import dev.tessera.schemas.topic.TopicCatalog;
import java.time.Instant;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;

/**
 * One record of a {@link ChurnWorld}: the topic it belongs on, its key (the customer id), its event
 * time and the Avro value.
 *
 * <pre>{@code
 * world.history()
 *     .filter(e -> e.value() instanceof Order)
 *     .forEach(e -> System.out.println(e.key() + " " + e.time()));
 * }</pre>
 *
 * @param topic one of {@link TopicCatalog#CUSTOMERS}, {@link TopicCatalog#ORDERS}, {@link
 *     TopicCatalog#CLICKS}, {@link TopicCatalog#OUTCOMES}
 * @param key the customer id, the record key on every one of those topics
 * @param time event time: signup_ts, order_ts, event_ts or outcome_ts
 * @param value a {@link Customer}, {@link Order}, {@link Click} or {@link Outcome}
 */
public record WorldEvent(String topic, String key, Instant time, SpecificRecord value) {
  public WorldEvent {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(value, "value");
  }

  /** A version of a customer's row, at the time it took effect (updated_ts, else signup_ts). */
  public static WorldEvent of(Customer customer) {
    return new WorldEvent(
        TopicCatalog.CUSTOMERS,
        customer.getCustomerId(),
        customer.getUpdatedTs() != null ? customer.getUpdatedTs() : customer.getSignupTs(),
        customer);
  }

  public static WorldEvent of(Order order) {
    return new WorldEvent(TopicCatalog.ORDERS, order.getCustomerId(), order.getOrderTs(), order);
  }

  public static WorldEvent of(Click click) {
    return new WorldEvent(TopicCatalog.CLICKS, click.getCustomerId(), click.getEventTs(), click);
  }

  public static WorldEvent of(Outcome outcome) {
    return new WorldEvent(
        TopicCatalog.OUTCOMES, outcome.getCustomerId(), outcome.getOutcomeTs(), outcome);
  }
}
