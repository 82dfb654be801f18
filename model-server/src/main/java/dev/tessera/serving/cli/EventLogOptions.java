package dev.tessera.serving.cli;

import dev.tessera.features.config.FeatureStoreConfig;
import dev.tessera.features.offline.EventLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where the offline engine's events come from: JSON-lines files, or the Kafka topics. */
final class EventLogOptions {
  @Option(
      names = "--events",
      description =
          "Directory of <topic>.jsonl files to replay; default: the Kafka topics from the start.")
  Path events;

  @Option(
      names = "--read-timeout",
      defaultValue = "PT5M",
      description = "Longest time to read the topics (ISO-8601 duration, default PT5M).")
  Duration readTimeout;

  /** The events of the topics in {@code timeFields}, each with its time field. */
  EventLog read(FeatureStoreConfig config, Map<String, String> timeFields) {
    return events != null
        ? EventLog.fromDirectory(events, config.topics(), timeFields)
        : EventLog.fromKafka(config.clientProperties(), config.topics(), timeFields, readTimeout);
  }
}
