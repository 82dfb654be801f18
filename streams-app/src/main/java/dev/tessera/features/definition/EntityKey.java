package dev.tessera.features.definition;

import java.util.ArrayList;
import java.util.List;

/**
 * The one string under which a view stores and looks up an entity: the key field's value for an
 * entity with one key, the values joined by {@code |} for several ({@code u-1|m-7}), with {@code |}
 * and {@code \} inside a value escaped by a backslash so that no two key tuples share a string.
 *
 * <pre>{@code
 * EntityKey.of("u-1", "m-7");   // "u-1|m-7"
 * EntityKey.of("a|b", "c");     // "a\\|b|c"
 * EntityKey.split("u-1|m-7");   // ["u-1", "m-7"]
 * }</pre>
 */
public final class EntityKey {
  public static final char SEPARATOR = '|';
  private static final char ESCAPE = '\\';

  private EntityKey() {}

  /** The key of one entity whose key fields have {@code values}, in the entity's key order. */
  public static String of(String... values) {
    if (values.length == 1) {
      return values[0];
    }
    var key = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        key.append(SEPARATOR);
      }
      append(key, values[i]);
    }
    return key.toString();
  }

  /** As {@link #of(String...)}, from a list. */
  public static String of(List<String> values) {
    return of(values.toArray(String[]::new));
  }

  /** The values of a key made by {@link #of(String...)} for an entity with {@code parts} keys. */
  public static List<String> split(String key, int parts) {
    if (parts == 1) {
      return List.of(key);
    }
    var values = new ArrayList<String>(parts);
    var value = new StringBuilder();
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == ESCAPE && i + 1 < key.length()) {
        value.append(key.charAt(++i));
      } else if (c == SEPARATOR) {
        values.add(value.toString());
        value.setLength(0);
      } else {
        value.append(c);
      }
    }
    values.add(value.toString());
    return values;
  }

  private static void append(StringBuilder key, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == SEPARATOR || c == ESCAPE) {
        key.append(ESCAPE);
      }
      key.append(c);
    }
  }
}
