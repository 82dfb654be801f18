package dev.tessera.serving.demo.fraud;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A {@link FraudWorld} on disk, for an offline replay or {@code kcat}: one file per topic with one
 * JSON value per line (no key), exactly what the topics carry, plus one training label per
 * transaction as CSV, the format {@code LabelFile} reads (request fields {@code amount}, {@code
 * lat}, {@code lon}).
 *
 * <pre>
 * users.jsonl          {"user_id":"U-17","country":"DE","home":{"lat":52.52,"lon":13.405},...}
 * transactions.jsonl   {"txn_id":"T-000123","user":{"id":"U-17"},"merchant":{...},...}
 * labels.csv           user_id,ts,label,amount,lat,lon
 *                      U-17,1767225600124,0,129.5,52.5,13.4
 * </pre>
 *
 * <p>Each file is in event-time order; a label's {@code ts} is its transaction's time minus 1 ms,
 * in epoch millis.
 *
 * <pre>{@code
 * FraudFiles.write(world, Path.of("fraud"));
 * }</pre>
 */
public final class FraudFiles {
  public static final String USERS_FILE = "users.jsonl";
  public static final String TRANSACTIONS_FILE = "transactions.jsonl";
  public static final String LABELS_FILE = "labels.csv";

  /** The topics written, in the order {@link FraudSink#counts()} lists them. */
  public static final List<String> TOPICS = List.of(FraudEvent.USERS, FraudEvent.TRANSACTIONS);

  private FraudFiles() {}

  /** {@code <topic>.jsonl}. */
  public static String fileName(String topic) {
    return topic + ".jsonl";
  }

  /** Writes the world's history and its labels into {@code dir}; returns the counts per topic. */
  public static Map<String, Long> write(FraudWorld world, Path dir) {
    try (Writer writer = open(dir);
        Stream<FraudEvent> history = world.history()) {
      history.forEach(writer::accept);
      return writer.counts();
    }
  }

  /**
   * A sink writing {@value #USERS_FILE}, {@value #TRANSACTIONS_FILE} and {@value #LABELS_FILE} in
   * {@code dir} (created if missing; existing files are replaced): each transaction accepted adds
   * its label. All three files exist once it is open.
   */
  public static Writer open(Path dir) {
    return new Writer(dir);
  }

  /** Writes JSON lines per topic and the labels; see {@link FraudFiles}. */
  public static final class Writer implements FraudSink {
    private final Path dir;
    private final Map<String, BufferedWriter> files = new LinkedHashMap<>();
    private final Map<String, Long> counts = new LinkedHashMap<>();
    private BufferedWriter labels;

    private Writer(Path dir) {
      this.dir = dir;
      try {
        Files.createDirectories(dir);
        for (String topic : TOPICS) {
          files.put(topic, newFile(fileName(topic)));
          counts.put(topic, 0L);
        }
        labels = newFile(LABELS_FILE);
        labels.write(FraudLabel.CSV_HEADER);
        labels.write('\n');
      } catch (IOException e) {
        closeQuietly();
        throw new UncheckedIOException("Could not create the fraud world files in " + dir, e);
      }
    }

    private BufferedWriter newFile(String name) throws IOException {
      return Files.newBufferedWriter(dir.resolve(name), StandardCharsets.UTF_8);
    }

    @Override
    public void accept(FraudEvent event) {
      String topic = event.topic();
      try {
        BufferedWriter out = files.get(topic);
        out.write(event.toJson());
        out.write('\n');
        if (event instanceof FraudTransaction t) {
          labels.write(t.label().toCsv());
          labels.write('\n');
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Could not write to the fraud world files in " + dir, e);
      }
      counts.merge(topic, 1L, Long::sum);
    }

    @Override
    public void flush() {
      try {
        for (BufferedWriter out : files.values()) {
          out.flush();
        }
        labels.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("Could not write to the fraud world files in " + dir, e);
      }
    }

    @Override
    public Map<String, Long> counts() {
      return Collections.unmodifiableMap(new LinkedHashMap<>(counts));
    }

    @Override
    public void close() {
      IOException failure = null;
      for (BufferedWriter out : all()) {
        try {
          out.close();
        } catch (IOException e) {
          failure = failure == null ? e : failure;
        }
      }
      if (failure != null) {
        throw new UncheckedIOException("Could not finish the fraud world files in " + dir, failure);
      }
    }

    private List<BufferedWriter> all() {
      var all = new ArrayList<>(files.values());
      if (labels != null) {
        all.add(labels);
      }
      return all;
    }

    private void closeQuietly() {
      for (BufferedWriter out : all()) {
        try {
          out.close();
        } catch (IOException e) {
          // Already failing: the first error is the one to report.
        }
      }
    }
  }
}
