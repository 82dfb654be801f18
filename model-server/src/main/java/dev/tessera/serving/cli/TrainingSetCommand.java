package dev.tessera.serving.cli;

import dev.tessera.features.config.FeatureStoreConfig;
import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.offline.EventLog;
import dev.tessera.features.offline.FeatureTable;
import dev.tessera.features.offline.FeatureTableFiles;
import dev.tessera.features.offline.LabelFile;
import dev.tessera.features.offline.LabelRow;
import dev.tessera.features.offline.OfflineEngine;
import dev.tessera.features.topology.FeatureTopology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tessera training-set}: a point-in-time training set for a feature service, from a label
 * CSV and the event log (the Kafka topics from the beginning, or JSON-lines files).
 *
 * <pre>
 * tessera training-set --feature-service churn_v2 --labels labels.csv --out train.csv
 * tessera training-set --feature-service churn_v2 --labels labels.csv --events world/ --out train.avro
 * </pre>
 */
@Command(
    name = "training-set",
    mixinStandardHelpOptions = true,
    description =
        "Build a point-in-time training set: for every label row, the feature service's values"
            + " as the online store served them at the row's ts.")
final class TrainingSetCommand implements Callable<Integer> {
  @Mixin NodeOptions options;

  @Option(names = "--feature-service", required = true, description = "e.g. churn_v2")
  String service;

  @Option(
      names = "--labels",
      required = true,
      description = "CSV with header <key>,ts,label[,request fields] (ts ISO-8601 or epoch ms).")
  Path labels;

  @Option(
      names = "--events",
      description =
          "Directory of <topic>.jsonl files to replay; default: the Kafka topics from the start.")
  Path events;

  @Option(
      names = "--out",
      required = true,
      description = "Output file: CSV, or an Avro container file if it ends in .avro.")
  Path out;

  @Option(
      names = "--read-timeout",
      defaultValue = "PT5M",
      description = "Longest time to read the topics (ISO-8601 duration, default PT5M).")
  Duration readTimeout;

  @Override
  public Integer call() {
    var config = new FeatureStoreConfig(options.settings());
    FeatureRegistry registry = config.registry();
    String keyColumn =
        registry
            .view(OfflineEngine.service(registry, service).features().get(0).view())
            .orElseThrow()
            .entity();
    List<LabelRow> rows = LabelFile.read(labels);
    Map<String, String> timeFields = FeatureTopology.timeFields(registry.views());
    EventLog log =
        events != null
            ? EventLog.fromDirectory(events, config.topics(), timeFields)
            : EventLog.fromKafka(
                config.clientProperties(), config.topics(), timeFields, readTimeout);
    System.err.printf(
        "Replaying %,d events for %,d label rows%s%n",
        log.events().size(),
        rows.size(),
        log.rejected().isEmpty() ? "" : " (left out, not decodable: " + log.rejected() + ")");
    FeatureTable table =
        OfflineEngine.trainingSet(
            registry,
            service,
            rows,
            log,
            new ProgressBar(System.err, "training set"),
            Path.of(config.getString(FeatureStoreConfig.STATE_DIR)));
    FeatureTableFiles.write(table, keyColumn, out);
    System.out.printf(
        "Wrote %,d rows x %d columns of %s to %s%n",
        table.rows(), table.columns().size(), service, out);
    return 0;
  }
}
