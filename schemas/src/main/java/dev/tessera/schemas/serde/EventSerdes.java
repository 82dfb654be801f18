package dev.tessera.schemas.serde;

import dev.tessera.schemas.Click;
import dev.tessera.schemas.Customer;
import dev.tessera.schemas.Order;
import dev.tessera.schemas.Outcome;
import dev.tessera.schemas.Prediction;

/**
 * Serdes of the shipped event types, one shared instance each (serdes are thread-safe).
 *
 * <pre>{@code
 * Producer<String, Order> producer =
 *     new KafkaProducer<>(props, new StringSerializer(), EventSerdes.orders().serializer());
 * }</pre>
 */
public final class EventSerdes {
  private static final EventSerde<Order> ORDERS = EventSerde.of(Order.class);
  private static final EventSerde<Click> CLICKS = EventSerde.of(Click.class);
  private static final EventSerde<Customer> CUSTOMERS = EventSerde.of(Customer.class);
  private static final EventSerde<Outcome> OUTCOMES = EventSerde.of(Outcome.class);
  private static final EventSerde<Prediction> PREDICTIONS = EventSerde.of(Prediction.class);

  private EventSerdes() {}

  /** Topic {@code orders}. */
  public static EventSerde<Order> orders() {
    return ORDERS;
  }

  /** Topic {@code clicks}. */
  public static EventSerde<Click> clicks() {
    return CLICKS;
  }

  /** Topic {@code customers} (compacted; a null value is a tombstone and deserializes to null). */
  public static EventSerde<Customer> customers() {
    return CUSTOMERS;
  }

  /** Topic {@code outcomes}. */
  public static EventSerde<Outcome> outcomes() {
    return OUTCOMES;
  }

  /** Topic {@code predictions}. */
  public static EventSerde<Prediction> predictions() {
    return PREDICTIONS;
  }
}
