package dev.tessera.features.topology;

import dev.tessera.features.definition.AggregateFeature;
import dev.tessera.features.definition.Aggregation;
import dev.tessera.features.definition.EventFilter;
import java.time.Instant;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/**
 * Reads what one aggregate feature takes from an event: whether its filter accepts the event, and
 * the value of its field as a number or, for count_distinct, as text.
 */
final class FeatureInput {
  private final int field;
  private final int filterField;
  private final EventFilter filter;

  private FeatureInput(int field, int filterField, EventFilter filter) {
    this.field = field;
    this.filterField = filterField;
    this.filter = filter;
  }

  static FeatureInput of(AggregateFeature feature, Schema schema) {
    int field = feature.field() == null ? -1 : position(schema, feature.field(), feature);
    EventFilter where = feature.where();
    int filterField = where == null ? -1 : position(schema, where.field(), feature);
    return new FeatureInput(field, filterField, where);
  }

  private static int position(Schema schema, String name, AggregateFeature feature) {
    Schema.Field f = schema.getField(name);
    if (f == null) {
      throw new IllegalArgumentException(
          "Feature "
              + feature.name()
              + " reads field "
              + name
              + ", which "
              + schema.getName()
              + " does not have");
    }
    return f.pos();
  }

  /** Whether the event counts for the feature: its filter accepts it and its field is present. */
  boolean applies(IndexedRecord event) {
    return (filter == null || filter.accepts(event.get(filterField)))
        && (field < 0 || event.get(field) != null);
  }

  /** The field as a number: numbers as they are, timestamps as epoch millis; 0 for count. */
  double number(IndexedRecord event) {
    if (field < 0) {
      return 0.0;
    }
    Object v = event.get(field);
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof Instant t) {
      return t.toEpochMilli();
    }
    throw new IllegalStateException("Field " + field + " is not numeric: " + v);
  }

  /** The field as text, for count_distinct. */
  String text(IndexedRecord event) {
    return String.valueOf(event.get(field));
  }

  static boolean isDistinct(AggregateFeature feature) {
    return feature.aggregation() == Aggregation.COUNT_DISTINCT;
  }
}
