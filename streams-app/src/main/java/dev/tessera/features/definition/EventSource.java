package dev.tessera.features.definition;

import java.util.Objects;

/**
 * Where a view's events come from: a topic, the field holding the view's entity key, and the field
 * holding the event time.
 *
 * <pre>{@code
 * EventSource.of("orders", "customer_id", "order_ts");            // keyed as the topic
 * EventSource.viaCustomer("orders", "region", "order_ts");          // re-keyed by the customer's region
 * }</pre>
 *
 * @param topic source topic
 * @param key field holding the entity key: a field of the event, which must equal the record key,
 *     or (when {@code keyFromCustomer}) a field of the event's customer row, in which case the
 *     events are joined with the customers table and re-keyed through a repartition topic
 * @param time field holding the event time
 * @param keyFromCustomer whether {@code key} is a field of the customer row
 */
public record EventSource(String topic, String key, String time, boolean keyFromCustomer) {
  public EventSource {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(key, "key of " + topic);
    Objects.requireNonNull(time, "time of " + topic);
  }

  public static EventSource of(String topic, String key, String time) {
    return new EventSource(topic, key, time, false);
  }

  public static EventSource viaCustomer(String topic, String customerField, String time) {
    return new EventSource(topic, customerField, time, true);
  }
}
