package dev.tessera.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The measurements of a bench session: one {@code name value} line per measurement, appended by
 * every benchmark process, so that repeated runs of one benchmark give a list of values per name.
 *
 * <pre>{@code
 * Results.append(file, "ingest.shipped.events_per_s", 61_234.5);
 * Map<String, List<Double>> all = Results.read(file);
 * }</pre>
 */
public final class Results {
  private Results() {}

  /** Appends one measurement; also prints it, so a run shows its figures as it goes. */
  public static void append(Path file, String name, double value) {
    if (name.isBlank() || name.contains(" ")) {
      throw new IllegalArgumentException("Measurement names have no spaces: '" + name + "'");
    }
    String line = name + " " + String.format(Locale.ROOT, "%.6g", value);
    System.out.println("[bench] " + line);
    try {
      Files.writeString(
          file,
          line + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot append to results file " + file, e);
    }
  }

  /** Every measurement of the file by name, in the order they were appended. */
  public static Map<String, List<Double>> read(Path file) {
    var all = new LinkedHashMap<String, List<Double>>();
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read results file " + file, e);
    }
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] parts = line.split(" ");
      if (parts.length != 2) {
        throw new IllegalArgumentException(
            file + ":" + (i + 1) + ": expected 'name value', got '" + line + "'");
      }
      all.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(Double.parseDouble(parts[1]));
    }
    return all;
  }
}
