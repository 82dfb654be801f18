package dev.tessera.features.definition;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as written in definitions: a whole number and a unit, {@code ms}, {@code s}, {@code m},
 * {@code h} or {@code d}.
 *
 * <pre>{@code
 * Durations.parse("30d"); // PT720H
 * Durations.format(Duration.ofMinutes(5)); // "5m"
 * }</pre>
 */
public final class Durations {
  private static final Pattern FORMAT = Pattern.compile("([0-9]{1,9})(ms|s|m|h|d)");

  private Durations() {}

  /** Parses {@code text}; throws IllegalArgumentException naming the expected form. */
  public static Duration parse(String text) {
    Matcher m = text == null ? null : FORMAT.matcher(text.trim());
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' is not a duration: use a whole number and ms, s, m, h or d, e.g. 30d, 5m");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  /** The shortest exact form, e.g. 30d, 90m, 1500ms. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    long[] units = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
    String[] names = {"d", "h", "m", "s"};
    for (int i = 0; i < units.length; i++) {
      if (ms != 0 && ms % units[i] == 0) {
        return ms / units[i] + names[i];
      }
    }
    return ms + "ms";
  }
}
