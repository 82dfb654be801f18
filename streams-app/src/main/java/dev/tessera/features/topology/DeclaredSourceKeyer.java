package dev.tessera.features.topology;

import dev.tessera.features.definition.EntityKey;
import dev.tessera.features.definition.SourceDeclaration;
import dev.tessera.features.definition.SourceDeclaration.KeyFrom;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Keys a declared source's validated rows by one entity: the record key as it is ({@code key:
 * record}), or the entity's key fields read from the row by position and joined by {@link
 * EntityKey}. The rows then go to the partition of that key (see {@link FeatureTopology}).
 */
final class DeclaredSourceKeyer implements Processor<String, GenericRecord, String, GenericRecord> {
  private final boolean fromRecord;
  private final int[] slots;
  private ProcessorContext<String, GenericRecord> context;

  DeclaredSourceKeyer(SourceDeclaration source, List<String> keys) {
    this.fromRecord = source.keyFrom() == KeyFrom.RECORD;
    this.slots = keys.stream().mapToInt(source::position).toArray();
  }

  @Override
  public void init(ProcessorContext<String, GenericRecord> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, GenericRecord> record) {
    String key;
    if (fromRecord || record.value() == null) {
      key = record.key();
    } else if (slots.length == 1) {
      key = record.value().get(slots[0]).toString();
    } else {
      String[] values = new String[slots.length];
      for (int i = 0; i < slots.length; i++) {
        values[i] = record.value().get(slots[i]).toString();
      }
      key = EntityKey.of(values);
    }
    context.forward(record.withKey(key));
  }
}
