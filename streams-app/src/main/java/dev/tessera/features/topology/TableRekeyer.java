package dev.tessera.features.topology;

import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Re-keys a declared source's rows, keyed by a table's entity, by a field of that entity's row in
 * the table as it is when the event is processed (e.g. a transaction by its user's country). Events
 * of an entity without a row, or whose row has no value there, drop out, as events of an unknown
 * customer do for a view keyed through the customers table.
 */
final class TableRekeyer implements Processor<String, GenericRecord, String, GenericRecord> {
  private final String tableStore;
  private final int fieldSlot;
  private ReadOnlyKeyValueStore<String, GenericRecord> table;
  private ProcessorContext<String, GenericRecord> context;

  TableRekeyer(String tableStore, int fieldSlot) {
    this.tableStore = tableStore;
    this.fieldSlot = fieldSlot;
  }

  @Override
  public void init(ProcessorContext<String, GenericRecord> context) {
    this.context = context;
    this.table = context.getStateStore(tableStore);
  }

  @Override
  public void process(Record<String, GenericRecord> record) {
    GenericRecord row = table.get(record.key());
    Object key = row == null ? null : row.get(fieldSlot);
    if (key != null) {
      context.forward(record.withKey(key.toString()));
    }
  }
}
