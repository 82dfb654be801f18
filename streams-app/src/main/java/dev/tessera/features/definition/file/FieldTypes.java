package dev.tessera.features.definition.file;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/** What the definition file needs to know about the type of an event field. */
final class FieldTypes {
  private static final Set<Schema.Type> NUMERIC =
      EnumSet.of(Schema.Type.INT, Schema.Type.LONG, Schema.Type.FLOAT, Schema.Type.DOUBLE);

  private FieldTypes() {}

  /** int, long, float or double, or a union of null and one of those. */
  static boolean isNumeric(Schema s) {
    return NUMERIC.contains(unwrapNullable(s).getType());
  }

  /** A string or a union of null and a string. */
  static boolean isString(Schema s) {
    return unwrapNullable(s).getType() == Schema.Type.STRING;
  }

  /** A long with logical type timestamp-millis, not nullable. */
  static boolean isTimestampMillis(Schema s) {
    return s.getType() == Schema.Type.LONG
        && s.getLogicalType() instanceof LogicalTypes.TimestampMillis;
  }

  /** The type as a reader would say it: "string", "nullable double", "timestamp-millis long". */
  static String describe(Schema s) {
    Schema inner = unwrapNullable(s);
    String name =
        inner.getLogicalType() != null
            ? inner.getLogicalType().getName() + " " + inner.getType().getName()
            : inner.getType().getName();
    return inner == s ? name : "nullable " + name;
  }

  /** The non-null branch of a ["null", T] union, else the schema itself. */
  private static Schema unwrapNullable(Schema s) {
    if (s.getType() != Schema.Type.UNION) {
      return s;
    }
    List<Schema> branches = s.getTypes();
    if (branches.size() == 2 && branches.get(0).getType() == Schema.Type.NULL) {
      return branches.get(1);
    }
    if (branches.size() == 2 && branches.get(1).getType() == Schema.Type.NULL) {
      return branches.get(0);
    }
    return s;
  }
}
