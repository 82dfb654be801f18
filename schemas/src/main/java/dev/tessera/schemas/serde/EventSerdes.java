package dev.tessera.schemas.serde;

import dev.tessera.schemas.Click;
import dev.tessera.schemas.Customer;
import dev.tessera.schemas.Order;
import dev.tessera.schemas.Outcome;
import dev.tessera.schemas.Prediction;

/** TEMPORARY stub, replaced by the serde branch. */
public final class EventSerdes {
  private EventSerdes() {}

  public static EventSerde<Order> orders() {
    return EventSerde.of(Order.class);
  }

  public static EventSerde<Click> clicks() {
    return EventSerde.of(Click.class);
  }

  public static EventSerde<Customer> customers() {
    return EventSerde.of(Customer.class);
  }

  public static EventSerde<Outcome> outcomes() {
    return EventSerde.of(Outcome.class);
  }

  public static EventSerde<Prediction> predictions() {
    return EventSerde.of(Prediction.class);
  }
}
