package dev.tessera.features.offline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * Reads a label set from CSV: a header {@code <key>,ts,label} and optional request-field columns
 * (numbers, e.g. {@code amount}), then one row per line. {@code ts} is an ISO-8601 instant or epoch
 * millis; {@code label} an integer. Errors name the file and line.
 *
 * <pre>{@code
 * customer_id,ts,label
 * C-1,2026-10-01T00:00:00Z,0
 * C-2,2026-10-01T00:00:00Z,1
 *
 * List<LabelRow> rows = LabelFile.read(Path.of("labels.csv"));
 * }</pre>
 */
public final class LabelFile {
  private LabelFile() {}

  public static List<LabelRow> read(Path file) {
    try {
      return parse(file.toString(), Files.readAllLines(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read label file " + file, e);
    }
  }

  static List<LabelRow> parse(String name, List<String> lines) {
    if (lines.isEmpty()) {
      throw new IllegalArgumentException(
          name + ":1: empty; expected a header like customer_id,ts,label");
    }
    String[] header = lines.get(0).trim().split(",", -1);
    if (header.length < 3 || !header[1].trim().equals("ts") || !header[2].trim().equals("label")) {
      throw new IllegalArgumentException(
          name + ":1: header must start with <key>,ts,label, got '" + lines.get(0).trim() + "'");
    }
    var rows = new ArrayList<LabelRow>();
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i).trim();
      if (line.isEmpty()) {
        continue;
      }
      String at = name + ":" + (i + 1) + ": ";
      String[] cells = line.split(",", -1);
      if (cells.length != header.length) {
        throw new IllegalArgumentException(
            at + "expected " + header.length + " columns, got " + cells.length);
      }
      String key = cells[0].trim();
      if (key.isEmpty()) {
        throw new IllegalArgumentException(at + "empty " + header[0].trim());
      }
      var request = new HashMap<String, Double>();
      for (int c = 3; c < cells.length; c++) {
        if (!cells[c].isBlank()) {
          request.put(header[c].trim(), number(at, header[c].trim(), cells[c].trim()));
        }
      }
      rows.add(new LabelRow(key, time(at, cells[1].trim()), label(at, cells[2].trim()), request));
    }
    return rows;
  }

  private static long time(String at, String text) {
    try {
      return text.chars().allMatch(Character::isDigit)
          ? Long.parseLong(text)
          : Instant.parse(text).toEpochMilli();
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new IllegalArgumentException(
          at + "ts '" + text + "' is neither an ISO-8601 instant nor epoch millis", e);
    }
  }

  private static int label(String at, String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(at + "label '" + text + "' is not an integer", e);
    }
  }

  private static double number(String at, String column, String text) {
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(at + column + " '" + text + "' is not a number", e);
    }
  }
}
