package dev.tessera.schemas.serde;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/**
 * Copies the arrays of a decoded record into ArrayLists.
 *
 * <p>Avro decodes arrays into its own list type, whose {@code equals} compares elements with {@code
 * GenericData.get()}, a data model without the timestamp-millis conversion. So {@code
 * decoded.equals(expected)} on a Prediction (an array of records holding Instants) throws "Unknown
 * datum type java.time.Instant" (Avro 1.12.1), while {@code expected.equals(decoded)} works. An
 * ArrayList compares with the elements' own equals, and the generated fields are declared as List.
 * Decoding into a custom data model would avoid the copy, but any subclass of SpecificData turns
 * off Avro's fast reader, which costs more than the copy.
 */
final class DecodedArrays {
  private DecodedArrays() {}

  /** The copier for a schema, or null when its values hold no arrays (no work per record). */
  static UnaryOperator<Object> copier(Schema schema) {
    return copier(schema, new HashSet<>());
  }

  private static UnaryOperator<Object> copier(Schema schema, Set<String> recordsOnPath) {
    switch (schema.getType()) {
      case ARRAY -> {
        UnaryOperator<Object> items = copier(schema.getElementType(), recordsOnPath);
        return value -> {
          List<?> decoded = (List<?>) value;
          List<Object> copy = new ArrayList<>(decoded.size());
          for (Object item : decoded) {
            copy.add(items == null || item == null ? item : items.apply(item));
          }
          return copy;
        };
      }
      case MAP -> {
        UnaryOperator<Object> values = copier(schema.getValueType(), recordsOnPath);
        if (values == null) {
          return null;
        }
        return value -> {
          Map<Object, Object> copy = new HashMap<>();
          ((Map<?, ?>) value).forEach((k, v) -> copy.put(k, v == null ? null : values.apply(v)));
          return copy;
        };
      }
      case UNION -> {
        // EventSerde only accepts unions of null and one other type (see JsonConverters).
        for (Schema branch : schema.getTypes()) {
          if (branch.getType() != Schema.Type.NULL) {
            return copier(branch, recordsOnPath);
          }
        }
        return null;
      }
      case RECORD -> {
        if (!recordsOnPath.add(schema.getFullName())) {
          return null; // a recursive type; not in the Tessera contract
        }
        List<Schema.Field> fields = new ArrayList<>();
        List<UnaryOperator<Object>> copiers = new ArrayList<>();
        for (Schema.Field field : schema.getFields()) {
          UnaryOperator<Object> copier = copier(field.schema(), recordsOnPath);
          if (copier != null) {
            fields.add(field);
            copiers.add(copier);
          }
        }
        recordsOnPath.remove(schema.getFullName());
        if (fields.isEmpty()) {
          return null;
        }
        return value -> {
          IndexedRecord record = (IndexedRecord) value;
          for (int i = 0; i < fields.size(); i++) {
            int pos = fields.get(i).pos();
            Object fieldValue = record.get(pos);
            if (fieldValue != null) {
              record.put(pos, copiers.get(i).apply(fieldValue));
            }
          }
          return record;
        };
      }
      default -> {
        return null;
      }
    }
  }
}
