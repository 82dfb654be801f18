package dev.tessera.serving.cli;

import dev.tessera.features.config.FeatureStoreConfig;
import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.offline.EventLog;
import dev.tessera.features.offline.FeatureTable;
import dev.tessera.features.offline.LabelFile;
import dev.tessera.features.offline.LabelRow;
import dev.tessera.features.offline.OfflineEngine;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where a point-in-time training set comes from: a feature service, labels and the event log. */
final class TrainingDataOptions {
  @Option(names = "--feature-service", required = true, description = "e.g. churn_v2")
  String service;

  @Option(
      names = "--labels",
      required = true,
      description = "CSV with header <key>,ts,label[,request fields] (ts ISO-8601 or epoch ms).")
  Path labels;

  @Mixin EventLogOptions source;

  /** The entity key column of the service's views, e.g. customer_id. */
  String keyColumn(FeatureRegistry registry) {
    return registry
        .view(OfflineEngine.service(registry, service).features().get(0).view())
        .orElseThrow()
        .entity();
  }

  /** Reads the labels and the log and replays it, with a progress bar on stderr. */
  FeatureTable trainingSet(FeatureStoreConfig config, FeatureRegistry registry) {
    OfflineEngine.service(registry, service);
    List<LabelRow> rows = LabelFile.read(labels);
    EventLog log = source.read(config, registry.views());
    System.err.printf(
        "Replaying %,d events for %,d label rows%s%n",
        log.events().size(),
        rows.size(),
        log.rejected().isEmpty() ? "" : " (left out, not decodable: " + log.rejected() + ")");
    return OfflineEngine.trainingSet(
        registry,
        service,
        rows,
        log,
        new ProgressBar(System.err, "training set"),
        Path.of(config.getString(FeatureStoreConfig.STATE_DIR)));
  }
}
