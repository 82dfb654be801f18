package dev.tessera.features.offline;

/**
 * One input record of the event log, as it was (or would be) written to its topic.
 *
 * @param topic the input topic, e.g. {@code orders}
 * @param key the record key (the customer id)
 * @param value the record value, Avro single-object encoded or JSON, as the topic accepts it
 * @param time the event's own time (e.g. {@code order_ts}), epoch millis
 */
public record LoggedEvent(String topic, String key, byte[] value, long time) {}
