package dev.tessera.features.definition;

import dev.tessera.features.definition.SourceDeclaration.FieldType;
import java.util.List;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * Resolves a declared path ({@code [payment, amount]}) in an Avro source's schema to the field
 * positions that reach it, checking that every step but the last is a record (or a nullable one)
 * and that the last can be read as the declared type. Done once, when the definition file is read
 * and again when the decoder is compiled; records are then read by position.
 *
 * <pre>{@code
 * AvroPaths.Resolved r = AvroPaths.resolve(schema, List.of("payment", "amount"), FieldType.DOUBLE);
 * }</pre>
 */
public final class AvroPaths {
  private AvroPaths() {}

  /**
   * @param positions the field position at each step
   * @param leaf the type found at the end, nullable unions unwrapped
   * @param instant whether the leaf is a timestamp-millis long (decoded as an Instant)
   */
  public record Resolved(int[] positions, Schema.Type leaf, boolean instant) {}

  /**
   * @param type the declared type, or null for an event time (a number, a timestamp or a string)
   * @throws IllegalArgumentException naming the step at fault
   */
  public static Resolved resolve(Schema schema, List<String> path, FieldType type) {
    String dotted = String.join(".", path);
    int[] positions = new int[path.size()];
    Schema at = schema;
    for (int i = 0; i < path.size(); i++) {
      Schema record = nonNull(at);
      if (record.getType() != Schema.Type.RECORD) {
        throw new IllegalArgumentException(
            "path " + dotted + ": " + String.join(".", path.subList(0, i)) + " is not a record");
      }
      Schema.Field f = record.getField(path.get(i));
      if (f == null) {
        throw new IllegalArgumentException(
            "path "
                + dotted
                + ": "
                + record.getName()
                + " has no field "
                + path.get(i)
                + "; it has "
                + String.join(", ", record.getFields().stream().map(Schema.Field::name).toList()));
      }
      positions[i] = f.pos();
      at = f.schema();
    }
    Schema leaf = nonNull(at);
    Schema.Type avro = leaf.getType();
    boolean fits =
        type == null
            ? avro == Schema.Type.LONG
                || avro == Schema.Type.INT
                || avro == Schema.Type.DOUBLE
                || avro == Schema.Type.STRING
            : switch (type) {
              case STRING -> avro == Schema.Type.STRING || avro == Schema.Type.ENUM;
              case LONG -> avro == Schema.Type.INT || avro == Schema.Type.LONG;
              case DOUBLE ->
                  avro == Schema.Type.INT
                      || avro == Schema.Type.LONG
                      || avro == Schema.Type.FLOAT
                      || avro == Schema.Type.DOUBLE;
              case BOOLEAN -> avro == Schema.Type.BOOLEAN;
            };
    if (!fits) {
      throw new IllegalArgumentException(
          "path "
              + dotted
              + " is "
              + avro.getName()
              + " in schema "
              + schema.getName()
              + "; it cannot be read as "
              + (type == null ? "an event time" : type.label()));
    }
    return new Resolved(
        positions, avro, leaf.getLogicalType() instanceof LogicalTypes.TimestampMillis);
  }

  private static Schema nonNull(Schema s) {
    if (s.getType() == Schema.Type.UNION) {
      for (Schema branch : s.getTypes()) {
        if (branch.getType() != Schema.Type.NULL) {
          return branch;
        }
      }
    }
    return s;
  }
}
