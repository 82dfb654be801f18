package dev.tessera.serving.demo.world;

import dev.tessera.schemas.Click;
import dev.tessera.schemas.Customer;
import dev.tessera.schemas.Order;
import dev.tessera.schemas.Outcome;
import dev.tessera.schemas.serde.EventSerde;
import dev.tessera.schemas.serde.EventSerdes;
import dev.tessera.schemas.serde.InvalidEventException;
import dev.tessera.schemas.serde.JsonEventReader;
import dev.tessera.schemas.topic.TopicCatalog;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * A {@link ChurnWorld} on disk, for replay by an offline engine or by {@code kcat}: one file per
 * topic with one JSON object per line, exactly the JSON the input topics accept, plus the training
 * labels as CSV.
 *
 * <pre>
 * customers.jsonl   {"customer_id":"C-1","signup_ts":1760000000000,"subscription_tier":"free",...}
 * orders.jsonl      {"order_id":"o-C-1-3","customer_id":"C-1","order_ts":1770000000000,...}
 * clicks.jsonl      {"event_id":"s-C-1-2-1","customer_id":"C-1","session_id":"s-C-1-2",...}
 * outcomes.jsonl    {"customer_id":"C-1","outcome_ts":1772000000000,"label":0,"source":"demo-world"}
 * labels.csv        customer_id,ts,label
 *                   C-1,2026-03-02T00:00:00Z,0
 * </pre>
 *
 * <p>Each file is in event-time order. Timestamps in JSON are epoch millis (as {@link
 * EventSerde#toJson} writes them); in the CSV they are ISO-8601 UTC.
 *
 * <pre>{@code
 * WorldFiles.write(world, Path.of("world"));
 * WorldFiles.Contents back = WorldFiles.read(Path.of("world"));
 * }</pre>
 */
public final class WorldFiles {
  public static final String LABELS_FILE = "labels.csv";
  public static final String LABELS_HEADER = "customer_id,ts,label";

  /** The topics written, in the order {@link WorldSink#counts()} lists them. */
  public static final List<String> TOPICS =
      List.of(
          TopicCatalog.CUSTOMERS, TopicCatalog.ORDERS, TopicCatalog.CLICKS, TopicCatalog.OUTCOMES);

  private WorldFiles() {}

  /** Everything read back from a directory. */
  public record Contents(
      List<Customer> customers,
      List<Order> orders,
      List<Click> clicks,
      List<Outcome> outcomes,
      List<WorldLabel> labels) {}

  /** {@code <topic>.jsonl}. */
  public static String fileName(String topic) {
    return topic + ".jsonl";
  }

  /** Writes the world's history ({@link ChurnWorld#history()}) and labels into {@code dir}. */
  public static Map<String, Long> write(ChurnWorld world, Path dir) {
    try (Writer writer = open(dir)) {
      world.history().forEach(writer::accept);
      writeLabels(dir.resolve(LABELS_FILE), world.labels());
      return writer.counts();
    }
  }

  /**
   * A sink writing {@code <topic>.jsonl} files in {@code dir} (created if missing; existing files
   * are replaced). All four files exist once it is open, empty if no record of that topic came.
   */
  public static Writer open(Path dir) {
    return new Writer(dir);
  }

  /** Writes {@code labels} as CSV with the header {@value #LABELS_HEADER}. */
  public static void writeLabels(Path file, List<WorldLabel> labels) {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write(LABELS_HEADER);
      out.write('\n');
      for (WorldLabel label : labels) {
        if (label.customerId().matches(".*[,\"\\r\\n].*")) {
          throw new IllegalArgumentException(
              "Customer id " + label.customerId() + " cannot be written to CSV unquoted");
        }
        out.write(label.customerId() + "," + label.ts() + "," + label.label() + "\n");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write labels to " + file, e);
    }
  }

  /**
   * Reads a directory written by {@link #write} or {@link #open}. A missing topic file reads as
   * empty; a missing {@value #LABELS_FILE} gives no labels.
   *
   * @throws IllegalArgumentException naming the file and line of the first record that is not valid
   */
  public static Contents read(Path dir) {
    Path labels = dir.resolve(LABELS_FILE);
    return new Contents(
        readTopic(dir.resolve(fileName(TopicCatalog.CUSTOMERS)), Customer.class),
        readTopic(dir.resolve(fileName(TopicCatalog.ORDERS)), Order.class),
        readTopic(dir.resolve(fileName(TopicCatalog.CLICKS)), Click.class),
        readTopic(dir.resolve(fileName(TopicCatalog.OUTCOMES)), Outcome.class),
        Files.exists(labels) ? readLabels(labels) : List.of());
  }

  /** Reads one JSON-lines file of records of {@code type}; blank lines are skipped. */
  public static <T extends SpecificRecord> List<T> readTopic(Path file, Class<T> type) {
    if (!Files.exists(file)) {
      return List.of();
    }
    JsonEventReader<T> reader = JsonEventReader.of(type);
    var records = new ArrayList<T>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int lineNumber = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        try {
          records.add(reader.read(line));
        } catch (InvalidEventException e) {
          throw new IllegalArgumentException(file + ":" + lineNumber + ": " + e.getMessage(), e);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read " + file, e);
    }
    return records;
  }

  /** Reads a labels CSV written by {@link #writeLabels}. */
  public static List<WorldLabel> readLabels(Path file) {
    var labels = new ArrayList<WorldLabel>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String header = in.readLine();
      if (!LABELS_HEADER.equals(header)) {
        throw new IllegalArgumentException(
            file + ":1: expected the header " + LABELS_HEADER + ", got " + header);
      }
      int lineNumber = 1;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        labels.add(parseLabel(line, file, lineNumber));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read " + file, e);
    }
    return labels;
  }

  private static WorldLabel parseLabel(String line, Path file, int lineNumber) {
    String[] fields = line.split(",", -1);
    if (fields.length != 3) {
      throw new IllegalArgumentException(
          file + ":" + lineNumber + ": expected customer_id,ts,label, got " + line);
    }
    try {
      return new WorldLabel(fields[0], Instant.parse(fields[1]), Integer.parseInt(fields[2]));
    } catch (DateTimeParseException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          file + ":" + lineNumber + ": " + e.getMessage() + " in " + line, e);
    }
  }

  /** Writes JSON lines per topic; see {@link WorldFiles}. */
  public static final class Writer implements WorldSink {
    private final Path dir;
    private final Map<String, BufferedWriter> files = new LinkedHashMap<>();
    private final Map<String, Long> counts = new LinkedHashMap<>();

    private Writer(Path dir) {
      this.dir = dir;
      try {
        Files.createDirectories(dir);
        for (String topic : TOPICS) {
          files.put(
              topic, Files.newBufferedWriter(dir.resolve(fileName(topic)), StandardCharsets.UTF_8));
          counts.put(topic, 0L);
        }
      } catch (IOException e) {
        closeQuietly();
        throw new UncheckedIOException("Could not create the world files in " + dir, e);
      }
    }

    @Override
    public void accept(WorldEvent event) {
      BufferedWriter out = files.get(event.topic());
      if (out == null) {
        throw new IllegalArgumentException(
            "No file for topic " + event.topic() + ", expected one of " + TOPICS);
      }
      try {
        out.write(json(event.value()));
        out.write('\n');
      } catch (IOException e) {
        throw new UncheckedIOException(
            "Could not write to " + dir.resolve(fileName(event.topic())), e);
      }
      counts.merge(event.topic(), 1L, Long::sum);
    }

    @Override
    public void flush() {
      for (Map.Entry<String, BufferedWriter> file : files.entrySet()) {
        try {
          file.getValue().flush();
        } catch (IOException e) {
          throw new UncheckedIOException(
              "Could not write to " + dir.resolve(fileName(file.getKey())), e);
        }
      }
    }

    @Override
    public Map<String, Long> counts() {
      return Collections.unmodifiableMap(new LinkedHashMap<>(counts));
    }

    @Override
    public void close() {
      IOException failure = null;
      for (Map.Entry<String, BufferedWriter> file : files.entrySet()) {
        try {
          file.getValue().close();
        } catch (IOException e) {
          failure = failure == null ? e : failure;
        }
      }
      if (failure != null) {
        throw new UncheckedIOException("Could not finish the world files in " + dir, failure);
      }
    }

    private void closeQuietly() {
      for (BufferedWriter out : files.values()) {
        try {
          out.close();
        } catch (IOException e) {
          // Already failing: the first error is the one to report.
        }
      }
    }

    private static String json(SpecificRecord value) {
      if (value instanceof Order o) {
        return EventSerdes.orders().toJson(o);
      } else if (value instanceof Click c) {
        return EventSerdes.clicks().toJson(c);
      } else if (value instanceof Customer c) {
        return EventSerdes.customers().toJson(c);
      } else if (value instanceof Outcome o) {
        return EventSerdes.outcomes().toJson(o);
      }
      throw new IllegalArgumentException("Not a world record: " + value.getClass().getName());
    }
  }
}
