package dev.tessera.features.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Checks each event of a source topic once, before any view sees it, and rejects (to the
 * dead-letter topic, via {@link RejectedEventException}) what no view could apply correctly: no
 * value, no key, a key that differs from the entity field, a time before 1970, a number that is NaN
 * or infinite (Avro binary carries them; one would turn a lifetime sum into NaN for good), or a
 * time older than every consuming view's grace.
 */
final class EventValidator<V extends SpecificRecord> implements FixedKeyProcessor<String, V, V> {
  private final String topic;
  private final String keyField;
  private final int keyPosition;
  private final String timeField;
  private final int timePosition;
  private final List<Schema.Field> numbers;
  private final Duration grace;
  private final boolean tombstonesAllowed;
  private FixedKeyProcessorContext<String, V> context;

  /**
   * @param grace events older than stream time minus this are late; null accepts any age (a
   *     lifetime feature reads the topic)
   * @param tombstonesAllowed whether a null value is a deletion (compacted tables) rather than an
   *     error
   */
  EventValidator(
      String topic,
      Schema schema,
      String keyField,
      String timeField,
      Duration grace,
      boolean tombstonesAllowed) {
    this.topic = topic;
    this.keyField = keyField;
    this.keyPosition = schema.getField(keyField).pos();
    this.timeField = timeField;
    this.timePosition = schema.getField(timeField).pos();
    this.numbers = schema.getFields().stream().filter(EventValidator::isFloatingPoint).toList();
    this.grace = grace;
    this.tombstonesAllowed = tombstonesAllowed;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, V> context) {
    this.context = context;
  }

  @Override
  public void process(FixedKeyRecord<String, V> record) {
    String key = record.key();
    V event = record.value();
    if (event == null && !tombstonesAllowed) {
      throw new RejectedEventException("value", "null value: " + topic + " needs an event");
    }
    if (key == null || key.isEmpty()) {
      throw new RejectedEventException(
          "key",
          "missing key: records on "
              + topic
              + " must be keyed by "
              + keyField
              + (event == null ? "" : " ('" + event.get(keyPosition) + "')"));
    }
    if (event == null) {
      context.forward(record);
      return;
    }
    Object entity = event.get(keyPosition);
    if (!key.equals(String.valueOf(entity))) {
      throw new RejectedEventException(
          "key", "key '" + key + "' does not match " + keyField + " '" + entity + "'");
    }
    // The event's own field, not record.timestamp(): the extractor gives a time before 1970 the
    // partition's time so that the record reaches this check instead of being dropped by Streams.
    if (!(event.get(timePosition) instanceof Instant eventTime) || eventTime.toEpochMilli() < 0) {
      throw new RejectedEventException(
          "time", timeField + " is before 1970: " + event.get(timePosition));
    }
    for (Schema.Field field : numbers) {
      if (event.get(field.pos()) instanceof Number n && !Double.isFinite(n.doubleValue())) {
        throw new RejectedEventException(
            "value", field.name() + " is not a finite number: " + n.doubleValue());
      }
    }
    long time = record.timestamp();
    if (grace != null) {
      long oldestAccepted = context.currentStreamTimeMs() - grace.toMillis();
      if (time < oldestAccepted) {
        throw new RejectedEventException(
            "late",
            "late: "
                + timeField
                + " "
                + Instant.ofEpochMilli(time)
                + " is older than stream time minus grace "
                + grace
                + " ("
                + Instant.ofEpochMilli(oldestAccepted)
                + "), so no feature could use it");
      }
    }
    context.forward(record);
  }

  private static boolean isFloatingPoint(Schema.Field field) {
    Schema schema = field.schema();
    List<Schema> types = schema.isUnion() ? schema.getTypes() : List.of(schema);
    return types.stream()
        .anyMatch(t -> t.getType() == Schema.Type.DOUBLE || t.getType() == Schema.Type.FLOAT);
  }
}
