package dev.tessera.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Options of a benchmark main class, given as {@code --name value} pairs.
 *
 * <pre>{@code
 * BenchArgs args = BenchArgs.parse(new String[] {"--events", "1000000"});
 * long events = args.longValue("events", 500_000);
 * }</pre>
 */
public final class BenchArgs {
  private final Map<String, String> values;

  private BenchArgs(Map<String, String> values) {
    this.values = values;
  }

  /** Reads {@code --name value} pairs; anything else is a usage error. */
  public static BenchArgs parse(String[] args) {
    var values = new HashMap<String, String>();
    for (int i = 0; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException(
            "Expected --name value pairs, got '" + String.join(" ", args) + "'");
      }
      values.put(args[i].substring(2), args[i + 1]);
    }
    return new BenchArgs(values);
  }

  public String string(String name, String defaultValue) {
    return values.getOrDefault(name, defaultValue);
  }

  /** The value of an option without a default, failing with its name when it is missing. */
  public String required(String name) {
    String value = values.get(name);
    if (value == null) {
      throw new IllegalArgumentException("Missing option --" + name);
    }
    return value;
  }

  public int intValue(String name, int defaultValue) {
    return (int) longValue(name, defaultValue);
  }

  public long longValue(String name, long defaultValue) {
    String value = values.get(name);
    try {
      return value == null ? defaultValue : Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " needs a whole number, got " + value, e);
    }
  }

  public double doubleValue(String name, double defaultValue) {
    String value = values.get(name);
    try {
      return value == null ? defaultValue : Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " needs a number, got " + value, e);
    }
  }

  /** Every option whose name starts with {@code prefix}, with its full name. */
  public Map<String, String> withPrefix(String prefix) {
    var matching = new HashMap<String, String>();
    values.forEach(
        (k, v) -> {
          if (k.startsWith(prefix)) {
            matching.put(k, v);
          }
        });
    return matching;
  }

  public Path path(String name) {
    return Path.of(required(name));
  }
}
