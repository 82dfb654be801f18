package dev.tessera.features.definition;

import java.util.List;
import java.util.Objects;

/**
 * Where a view's events come from: a topic, the field holding the view's entity key, and the field
 * holding the event time.
 *
 * <pre>{@code
 * EventSource.of("orders", "customer_id", "order_ts");            // keyed as the topic
 * EventSource.viaCustomer("orders", "region", "order_ts");          // re-keyed by the customer's region
 * EventSource.declared(transactions, userMerchant);                  // a declared source, by the pair
 * }</pre>
 *
 * @param topic source name: the topic of a built-in event type, or a declared source's name
 * @param key field holding the entity key: a field of the event, which must equal the record key,
 *     or (when {@code keyFromCustomer}) a field of the event's customer row, in which case the
 *     events are joined with the customers table and re-keyed through a repartition topic; for a
 *     declared source, the entity's key fields joined by '+'
 * @param time field holding the event time
 * @param keyFromCustomer whether {@code key} is a field of the customer row
 * @param declaration the declared source, or null for a built-in event topic
 * @param keys the entity's key fields: {@code [key]} unless declared
 * @param via the declared table a declared source is re-keyed through (then {@code keyFromCustomer}
 *     is true and {@code keys} is the table's field), or null
 */
public record EventSource(
    String topic,
    String key,
    String time,
    boolean keyFromCustomer,
    SourceDeclaration declaration,
    List<String> keys,
    TableDeclaration via) {
  public EventSource {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(key, "key of " + topic);
    Objects.requireNonNull(time, "time of " + topic);
    keys = List.copyOf(keys);
  }

  public static EventSource of(String topic, String key, String time) {
    return new EventSource(topic, key, time, false, null, List.of(key), null);
  }

  public static EventSource viaCustomer(String topic, String customerField, String time) {
    return new EventSource(topic, customerField, time, true, null, List.of(customerField), null);
  }

  /** A declared source read by a view of {@code entity}: keyed by the entity's key fields. */
  public static EventSource declared(SourceDeclaration source, Entity entity) {
    return new EventSource(
        source.name(),
        String.join("+", entity.keys()),
        source.time().name(),
        false,
        source,
        entity.keys(),
        null);
  }

  /**
   * A declared source read by a view of another entity, whose key is the field {@code field} of the
   * row of {@code table} (the table of the source's entity): the source is keyed by the table's
   * entity, joined with the table and re-keyed by the field.
   */
  public static EventSource declaredVia(
      SourceDeclaration source, TableDeclaration table, String field) {
    return new EventSource(
        source.name(),
        table.name() + "." + field,
        source.time().name(),
        true,
        source,
        List.of(field),
        table);
  }

  /**
   * As before declared sources existed for a built-in topic, so that the definitions hash of a
   * shipped view (which includes its sources) stays what models were trained with.
   */
  @Override
  public String toString() {
    String built =
        "EventSource[topic=%s, key=%s, time=%s, keyFromCustomer=%s]"
            .formatted(topic, key, time, keyFromCustomer);
    return declaration == null ? built : built + declaration;
  }

  /** The Kafka topic the events are read from. */
  public String kafkaTopic() {
    return declaration == null ? topic : declaration.topic();
  }
}
