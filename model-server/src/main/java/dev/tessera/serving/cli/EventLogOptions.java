package dev.tessera.serving.cli;

import dev.tessera.features.config.FeatureStoreConfig;
import dev.tessera.features.definition.FeatureView;
import dev.tessera.features.offline.EventLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

  /** The events of every topic {@code views} read, declared sources included. */
  EventLog read(FeatureStoreConfig config, List<FeatureView> views) {
    return events != null
        ? EventLog.fromDirectory(events, config.topics(), views)
        : EventLog.fromKafka(config.clientProperties(), config.topics(), views, readTimeout);
  }
}
