package dev.tessera.serving.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format for tests: every line is a comment
 * ({@code # HELP}, {@code # TYPE}) or a sample {@code name{labels} value}; anything else fails.
 */
public final class PrometheusText {
  private static final Pattern SAMPLE =
      Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)(?: \\d+)?");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

  /** One sample line. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private PrometheusText() {}

  /** The samples of {@code text}; throws AssertionError at the first line that is not valid. */
  public static List<Sample> parse(String text) {
    var samples = new ArrayList<Sample>();
    for (String line : text.split("\n")) {
      if (line.isEmpty() || line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      if (!m.matches()) {
        throw new AssertionError("Not a sample line: " + line);
      }
      var labels = new LinkedHashMap<String, String>();
      if (m.group(2) != null) {
        Matcher l = LABEL.matcher(m.group(2));
        int end = 0;
        while (l.find() && l.start() == end) {
          labels.put(l.group(1), l.group(2));
          end = l.end();
        }
        if (end != m.group(2).length()) {
          throw new AssertionError("Bad labels: " + line);
        }
      }
      samples.add(new Sample(m.group(1), labels, value(m.group(3))));
    }
    return samples;
  }

  private static double value(String text) {
    return switch (text) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(text);
    };
  }

  /** The value of the one sample named {@code name} with exactly {@code labels}, or NaN. */
  public static double value(List<Sample> samples, String name, Map<String, String> labels) {
    return samples.stream()
        .filter(s -> s.name().equals(name) && s.labels().equals(labels))
        .mapToDouble(Sample::value)
        .findFirst()
        .orElse(Double.NaN);
  }
}
