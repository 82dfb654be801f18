package dev.tessera.features.topology;

import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the newest version of each entity's row of a declared table: a version older than the one
 * held (by the row's own time, not by arrival) is ignored, so a producer re-sending an old row does
 * not roll the attributes back; a null value (a tombstone of a table keyed by the record key)
 * deletes the row.
 */
final class TableWriter implements Processor<String, GenericRecord, Void, Void> {
  private final String storeName;
  private final int timeSlot;
  private KeyValueStore<String, GenericRecord> rows;

  TableWriter(String storeName, int timeSlot) {
    this.storeName = storeName;
    this.timeSlot = timeSlot;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    rows = context.getStateStore(storeName);
  }

  @Override
  public void process(Record<String, GenericRecord> record) {
    if (record.value() == null) {
      rows.delete(record.key());
      return;
    }
    GenericRecord held = rows.get(record.key());
    if (held != null && time(held) > time(record.value())) {
      return;
    }
    rows.put(record.key(), record.value());
  }

  private long time(GenericRecord row) {
    return ((java.time.Instant) row.get(timeSlot)).toEpochMilli();
  }
}
