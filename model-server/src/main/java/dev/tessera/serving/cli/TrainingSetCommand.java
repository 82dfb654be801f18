package dev.tessera.serving.cli;

import dev.tessera.features.config.FeatureStoreConfig;
import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.offline.FeatureTable;
import dev.tessera.features.offline.FeatureTableFiles;
import java.nio.file.Path;
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
  @Mixin TrainingDataOptions data;

  @Option(
      names = "--out",
      required = true,
      description = "Output file: CSV, or an Avro container file if it ends in .avro.")
  Path out;

  @Override
  public Integer call() {
    var config = new FeatureStoreConfig(options.settings());
    FeatureRegistry registry = config.registry();
    String keyColumn = data.keyColumn(registry);
    FeatureTable table = data.trainingSet(config, registry);
    FeatureTableFiles.write(table, keyColumn, out);
    System.out.printf(
        "Wrote %,d rows x %d columns of %s to %s%n",
        table.rows(), table.columns().size(), data.service, out);
    return 0;
  }
}
