package dev.tessera.features.topology;

import dev.tessera.features.definition.SourceDeclaration;
import dev.tessera.features.definition.SourceDeclaration.KeyFrom;
import dev.tessera.features.definition.SourceDeclaration.SourceField;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Checks each decoded row of a declared source once, before any view sees it, and rejects (to the
 * dead-letter topic) what no view could apply: no value, no entity key (a key field of a view's
 * entity absent from the value, or no record key when the source takes it from there), or a time
 * older than every consuming view's grace. What does not decode is dead-lettered before this, by
 * the deserialization handler, with the decoder's reason.
 */
final class DeclaredSourceValidator
    implements FixedKeyProcessor<String, GenericRecord, GenericRecord> {
  private final SourceDeclaration source;
  private final int[] keySlots;
  private final String[] keyPaths;
  private final Duration grace;
  private final boolean tombstonesAllowed;
  private FixedKeyProcessorContext<String, GenericRecord> context;

  /**
   * @param keyFields every key field of every entity a view reads this source for
   * @param grace events older than stream time minus this are late; null accepts any age
   * @param tombstonesAllowed whether a null value is a deletion (a table keyed by the record key)
   */
  DeclaredSourceValidator(
      SourceDeclaration source, List<String> keyFields, Duration grace, boolean tombstonesAllowed) {
    this.source = source;
    this.grace = grace;
    this.tombstonesAllowed = tombstonesAllowed;
    List<String> fromValue = source.keyFrom() == KeyFrom.RECORD ? List.of() : keyFields;
    this.keySlots = new int[fromValue.size()];
    this.keyPaths = new String[fromValue.size()];
    for (int i = 0; i < keySlots.length; i++) {
      SourceField f = source.field(fromValue.get(i)).orElseThrow();
      keySlots[i] = source.position(f.name());
      keyPaths[i] = f.name() + (f.dotted().equals(f.name()) ? "" : " (path " + f.dotted() + ")");
    }
  }

  @Override
  public void init(FixedKeyProcessorContext<String, GenericRecord> context) {
    this.context = context;
  }

  @Override
  public void process(FixedKeyRecord<String, GenericRecord> record) {
    GenericRecord row = record.value();
    if (row == null && tombstonesAllowed && record.key() != null && !record.key().isEmpty()) {
      context.forward(record);
      return;
    }
    if (row == null) {
      throw new RejectedEventException(
          "value", source.name() + ": null value: topic " + source.topic() + " needs an event");
    }
    if (source.keyFrom() == KeyFrom.RECORD && (record.key() == null || record.key().isEmpty())) {
      throw new RejectedEventException(
          "key",
          source.name()
              + ": missing record key: the source takes the entity key from the record key (key:"
              + " record)");
    }
    for (int i = 0; i < keySlots.length; i++) {
      if (row.get(keySlots[i]) == null) {
        throw new RejectedEventException(
            "key", source.name() + ": missing key field " + keyPaths[i]);
      }
    }
    if (grace != null) {
      long time = record.timestamp();
      long oldestAccepted = context.currentStreamTimeMs() - grace.toMillis();
      if (time < oldestAccepted) {
        throw new RejectedEventException(
            "late",
            source.name()
                + ": late: "
                + source.time().name()
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
}
