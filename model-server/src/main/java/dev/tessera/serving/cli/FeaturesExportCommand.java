package dev.tessera.serving.cli;

import dev.tessera.features.config.FeatureStoreConfig;
import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.offline.EventLog;
import dev.tessera.features.offline.ViewExport;
import dev.tessera.features.offline.ViewTable;
import dev.tessera.features.offline.ViewTableFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tessera features export}: every key of a feature view as of an instant, computed by the
 * offline engine from the event log (the Kafka topics from the beginning, or JSON-lines files).
 *
 * <pre>
 * tessera features export --view customer_churn --out churn.csv
 * tessera features export --view customer_churn --as-of 2026-11-01T00:00:00Z --events world/ --out churn.avro
 * </pre>
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description =
        "Write every key of a feature view with its values as of an instant, as the online store"
            + " would have served them then (CSV, or Avro if the file ends in .avro).")
public final class FeaturesExportCommand implements Callable<Integer> {
  @Mixin NodeOptions options;

  @Option(names = "--view", required = true, description = "e.g. customer_churn")
  String view;

  @Option(
      names = "--as-of",
      description = "ISO-8601 instant, e.g. 2026-11-01T00:00:00Z; default now. Not in the future.")
  String asOf;

  @Mixin EventLogOptions source;

  @Option(
      names = "--out",
      required = true,
      description = "Output file: CSV, or an Avro container file if it ends in .avro.")
  Path out;

  private final Clock clock;

  public FeaturesExportCommand() {
    this(Clock.systemUTC());
  }

  FeaturesExportCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() {
    Instant instant = asOf(asOf, clock.instant());
    var config = new FeatureStoreConfig(options.settings());
    FeatureRegistry registry = config.registry();
    ViewExport.view(registry, view);
    // Fail before a long replay rather than after it.
    requireWritable(out);
    EventLog log = source.read(config, registry.views());
    System.err.printf(
        "Replaying %,d events for view %s as of %s%s%n",
        log.events().size(),
        view,
        instant,
        log.rejected().isEmpty() ? "" : " (left out, not decodable: " + log.rejected() + ")");
    ViewTable table =
        ViewExport.asOf(
            registry,
            view,
            instant.toEpochMilli(),
            log,
            new ProgressBar(System.err, "export " + view),
            Path.of(config.getString(FeatureStoreConfig.STATE_DIR)));
    ViewTableFiles.write(table, out);
    System.out.printf(
        "Wrote %,d keys x %d columns of %s as of %s to %s%n",
        table.rows(), table.columns().size(), view, instant, out);
    return 0;
  }

  /**
   * The instant asked for, or now. A future instant is refused: the log cannot hold what has not
   * happened yet, so the export would present today's values as tomorrow's.
   */
  static Instant asOf(String text, Instant now) {
    if (text == null) {
      return now;
    }
    Instant instant;
    try {
      instant = Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "--as-of " + text + " is not an ISO-8601 instant such as 2026-11-01T00:00:00Z", e);
    }
    if (instant.isAfter(now)) {
      throw new IllegalArgumentException(
          "--as-of " + text + " is in the future (now " + now + "); events after now are unknown");
    }
    return instant;
  }

  private static void requireWritable(Path file) {
    Path parent = file.toAbsolutePath().getParent();
    if (parent == null
        || !Files.isDirectory(parent)
        || !Files.isWritable(parent)
        || Files.isDirectory(file)
        || Files.exists(file) && !Files.isWritable(file)) {
      throw new IllegalArgumentException(
          "Cannot write "
              + file
              + ": "
              + (Files.isDirectory(file)
                  ? "it is a directory"
                  : "its directory does not exist or is not writable"));
    }
  }
}
