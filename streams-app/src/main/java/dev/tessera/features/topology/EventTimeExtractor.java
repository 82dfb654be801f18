package dev.tessera.features.topology;

import java.time.Instant;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Uses the event's own time ({@link RowTime}: its time field, or a table row's version time) as the
 * record timestamp, so that stream time, tiles and grace all run on event time rather than on when
 * the record was produced.
 */
final class EventTimeExtractor implements TimestampExtractor {
  private final RowTime time;

  EventTimeExtractor(RowTime time) {
    this.time = time;
  }

  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    if (record.value() instanceof IndexedRecord event) {
      Instant t = time.of(event);
      if (t != null && t.toEpochMilli() >= 0) {
        return t.toEpochMilli();
      }
    }
    // The processor rejects such events with a reason; returning a valid time keeps them flowing
    // there instead of being dropped silently by Streams.
    return Math.max(record.timestamp(), Math.max(partitionTime, 0));
  }
}
