package dev.tessera.features.topology;

import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Uses the event's own time field as the record timestamp, so that stream time, tiles and grace all
 * run on event time rather than on when the record was produced.
 */
final class EventTimeExtractor implements TimestampExtractor {
  private final int fieldPosition;

  EventTimeExtractor(int fieldPosition) {
    this.fieldPosition = fieldPosition;
  }

  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    if (record.value() instanceof SpecificRecord event
        && event.get(fieldPosition) instanceof Instant time
        && time.toEpochMilli() >= 0) {
      return time.toEpochMilli();
    }
    // The processor rejects such events with a reason; returning a valid time keeps them flowing
    // there instead of being dropped silently by Streams.
    return Math.max(record.timestamp(), Math.max(partitionTime, 0));
  }
}
