package dev.tessera.schemas.serde;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;

/**
 * Compiles an Avro schema, once, into a tree of converters from Jackson nodes to the values a
 * generated SpecificRecord holds, so that reading a record does no schema lookups.
 */
final class JsonConverters {
  /** Converts one JSON value, or throws {@link JsonProblem}. */
  interface JsonConverter {
    Object convert(JsonNode node);
  }

  static final String TIMESTAMP = "epoch millis or an ISO-8601 timestamp like 2026-11-22T10:15:30Z";

  private final SpecificData model;
  // Records by full name: nested types are compiled once and recursive types terminate.
  private final Map<String, RecordConverter> records = new HashMap<>();

  private JsonConverters(SpecificData model) {
    this.model = model;
  }

  /**
   * @throws IllegalArgumentException if the schema uses a type that has no JSON form here (bytes,
   *     fixed, logical types other than timestamp-millis, unions of several non-null types)
   */
  static JsonConverter compile(Schema schema, SpecificData model) {
    return new JsonConverters(model).converter(schema, schema.getName());
  }

  private JsonConverter converter(Schema schema, String where) {
    if (schema.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
      return JsonConverters::timestampMillis;
    } else if (schema.getLogicalType() != null) {
      throw unsupported("logical type " + schema.getLogicalType().getName(), where);
    }
    return switch (schema.getType()) {
      case RECORD -> record(schema, where);
      case ENUM -> enumSymbol(schema);
      case ARRAY -> array(converter(schema.getElementType(), where + "[]"));
      case MAP -> map(converter(schema.getValueType(), where + "[]"));
      case UNION -> union(schema, where);
      case STRING -> JsonConverters::string;
      case INT -> JsonConverters::int32;
      case LONG -> JsonConverters::int64;
      case FLOAT -> JsonConverters::float32;
      case DOUBLE -> JsonConverters::float64;
      case BOOLEAN -> JsonConverters::bool;
      case NULL -> JsonConverters::nullValue;
      case BYTES, FIXED -> throw unsupported("type " + schema.getType().getName(), where);
    };
  }

  private static IllegalArgumentException unsupported(String what, String where) {
    return new IllegalArgumentException(
        "JSON input does not support Avro " + what + " at " + where);
  }

  private JsonConverter record(Schema schema, String where) {
    RecordConverter existing = records.get(schema.getFullName());
    if (existing != null) {
      return existing;
    }
    RecordConverter converter = new RecordConverter(schema, model);
    records.put(schema.getFullName(), converter);
    for (Schema.Field field : schema.getFields()) {
      converter.add(field, converter(field.schema(), where + "." + field.name()));
    }
    return converter;
  }

  private JsonConverter union(Schema schema, String where) {
    List<Schema> branches = schema.getTypes();
    boolean nullable = branches.stream().anyMatch(b -> b.getType() == Schema.Type.NULL);
    List<Schema> values = branches.stream().filter(b -> b.getType() != Schema.Type.NULL).toList();
    if (values.size() != 1) {
      throw unsupported("union of " + values.size() + " non-null types", where);
    }
    Schema branch = values.get(0);
    JsonConverter inner = converter(branch, where);
    // Avro's own JSON encoding wraps union values as {"double": 1.5}; accept that too, except
    // for maps, where {"map": ...} could be a real map with one key.
    String wrapper = branch.getType() == Schema.Type.MAP ? null : branch.getFullName();
    return node -> {
      if (node.isNull() && nullable) {
        return null;
      }
      if (wrapper != null && node.isObject() && node.size() == 1 && node.has(wrapper)) {
        return inner.convert(node.get(wrapper));
      }
      return inner.convert(node);
    };
  }

  private JsonConverter enumSymbol(Schema schema) {
    String expected = "one of " + schema.getEnumSymbols();
    return node -> {
      if (node.isTextual() && schema.hasEnumSymbol(node.textValue())) {
        return model.createEnum(node.textValue(), schema);
      }
      throw JsonProblem.mismatch(expected, node);
    };
  }

  private static JsonConverter array(JsonConverter items) {
    return node -> {
      if (!node.isArray()) {
        throw JsonProblem.mismatch("an array", node);
      }
      List<Object> values = new ArrayList<>(node.size());
      for (int i = 0; i < node.size(); i++) {
        try {
          values.add(items.convert(node.get(i)));
        } catch (JsonProblem p) {
          throw p.under("[" + i + "]");
        }
      }
      return values;
    };
  }

  private static JsonConverter map(JsonConverter values) {
    return node -> {
      if (!node.isObject()) {
        throw JsonProblem.mismatch("an object", node);
      }
      Map<String, Object> map = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> entry : node.properties()) {
        try {
          map.put(entry.getKey(), values.convert(entry.getValue()));
        } catch (JsonProblem p) {
          throw p.under("[" + JsonProblem.quote(entry.getKey()) + "]");
        }
      }
      return map;
    };
  }

  private static Object string(JsonNode node) {
    if (node.isTextual()) {
      return node.textValue();
    }
    throw JsonProblem.mismatch("a string", node);
  }

  // Integral values written as 12.0 or 1e3 are accepted (some JSON writers emit them); 1.5,
  // "12" and values out of range are not.
  private static Object int32(JsonNode node) {
    if (node.canConvertToExactIntegral() && node.canConvertToInt()) {
      return node.intValue();
    }
    throw JsonProblem.mismatch("an integer (32-bit)", node);
  }

  private static Object int64(JsonNode node) {
    if (node.canConvertToExactIntegral() && node.canConvertToLong()) {
      return node.longValue();
    }
    throw JsonProblem.mismatch("an integer", node);
  }

  private static Object float32(JsonNode node) {
    if (!node.isNumber()) {
      throw JsonProblem.mismatch("a number", node);
    }
    float value = node.floatValue();
    if (Float.isInfinite(value)) {
      throw new JsonProblem("number " + JsonProblem.clip(node.asText()) + " is out of range");
    }
    return value;
  }

  private static Object float64(JsonNode node) {
    if (!node.isNumber()) {
      throw JsonProblem.mismatch("a number", node);
    }
    double value = node.doubleValue();
    if (Double.isInfinite(value)) {
      throw new JsonProblem("number " + JsonProblem.clip(node.asText()) + " is out of range");
    }
    return value;
  }

  private static Object bool(JsonNode node) {
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    throw JsonProblem.mismatch("true or false", node);
  }

  private static Object nullValue(JsonNode node) {
    if (node.isNull()) {
      return null;
    }
    throw JsonProblem.mismatch("null", node);
  }

  private static Object timestampMillis(JsonNode node) {
    try {
      if (node.canConvertToExactIntegral() && node.canConvertToLong()) {
        return Instant.ofEpochMilli(node.longValue());
      } else if (node.isTextual()) {
        Instant instant =
            DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(node.textValue(), Instant::from);
        instant.toEpochMilli(); // fails beyond the range of timestamp-millis
        // The wire keeps milliseconds; truncating here makes the record equal its round trip.
        return instant.truncatedTo(ChronoUnit.MILLIS);
      }
    } catch (DateTimeException | ArithmeticException e) {
      // reported below
    }
    throw JsonProblem.mismatch(TIMESTAMP, node);
  }

  /** A JSON object converted field by field into a new instance of the generated class. */
  private static final class RecordConverter implements JsonConverter {
    private final Schema schema;
    private final SpecificData model;
    private final Map<String, Slot> slots = new LinkedHashMap<>();

    private record Slot(Schema.Field field, JsonConverter converter) {}

    RecordConverter(Schema schema, SpecificData model) {
      this.schema = schema;
      this.model = model;
    }

    void add(Schema.Field field, JsonConverter converter) {
      slots.put(field.name(), new Slot(field, converter));
    }

    @Override
    public Object convert(JsonNode node) {
      if (!node.isObject()) {
        throw JsonProblem.mismatch("an object", node);
      }
      // Unknown fields first: a typo such as customerId must point at itself, not only show up
      // as a missing customer_id.
      for (Map.Entry<String, JsonNode> entry : node.properties()) {
        if (!slots.containsKey(entry.getKey())) {
          throw new JsonProblem(
              "unknown field "
                  + JsonProblem.quoteName(entry.getKey())
                  + " (allowed: "
                  + String.join(", ", slots.keySet())
                  + ")");
        }
      }
      IndexedRecord record = (IndexedRecord) model.newRecord(null, schema);
      for (Map.Entry<String, Slot> entry : slots.entrySet()) {
        Schema.Field field = entry.getValue().field();
        JsonNode value = node.get(entry.getKey());
        Object datum;
        if (value == null) {
          if (!field.hasDefaultValue()) {
            throw new JsonProblem("missing required field '" + field.name() + "'");
          }
          datum = model.getDefaultValue(field);
        } else {
          try {
            datum = entry.getValue().converter().convert(value);
          } catch (JsonProblem p) {
            throw p.under("." + field.name());
          }
        }
        record.put(field.pos(), datum);
      }
      return record;
    }
  }
}
