package dev.tessera.serving.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tessera.features.config.FeatureStoreConfig;
import dev.tessera.features.definition.DefinitionsHash;
import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.offline.FeatureTable;
import dev.tessera.features.offline.FeatureTableFiles;
import dev.tessera.serving.registry.ArtifactStore;
import dev.tessera.serving.training.ClassifierMetrics;
import dev.tessera.serving.training.TrainingRun;
import dev.tessera.serving.training.TrainingSet;
import dev.tessera.serving.training.XgboostOnnxExporter;
import dev.tessera.serving.training.XgboostParams;
import dev.tessera.serving.training.XgboostTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tessera train}: a point-in-time training set, an XGBoost model trained on it and evaluated
 * on a stratified holdout, exported to ONNX, with its run record.
 *
 * <pre>
 * tessera train --feature-service churn_v2 --labels labels.csv --events world/ \
 *   --params n_estimators=200,max_depth=6,eta=0.1 --out-dir runs/churn-v2
 * </pre>
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description =
        "Train an XGBoost classifier on a point-in-time training set of a feature service;"
            + " write model.onnx and run.json (params, holdout metrics, data range, definitions"
            + " hash).")
final class TrainCommand implements Callable<Integer> {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Mixin NodeOptions options;
  @Mixin TrainingDataOptions data;

  @Option(
      names = "--params",
      defaultValue = "n_estimators=200,max_depth=6,eta=0.1",
      description = "XGBoost params, key=value,... (default ${DEFAULT-VALUE}; docs/TRAINING.md).")
  String params;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of split and training.")
  long seed;

  @Option(
      names = "--holdout",
      defaultValue = "0.2",
      description = "Share of each class held out for evaluation (default ${DEFAULT-VALUE}).")
  double holdout;

  @Option(names = "--name", defaultValue = "churn", description = "Model name in the run record.")
  String name;

  @Option(names = "--out-dir", required = true, description = "Where model.onnx and run.json go.")
  Path outDir;

  @Option(
      names = "--training-set",
      description = "Also write the training set there (CSV, or Avro container if .avro).")
  Path trainingSetFile;

  @Override
  public Integer call() throws IOException {
    var parsedParams = XgboostParams.parse(params);
    var config = new FeatureStoreConfig(options.settings());
    FeatureRegistry registry = config.registry();
    String keyColumn = data.keyColumn(registry);
    FeatureTable table = data.trainingSet(config, registry);
    if (trainingSetFile != null) {
      FeatureTableFiles.write(table, keyColumn, trainingSetFile);
    }
    TrainingSet set = TrainingSet.of(table, table.columns());
    XgboostTrainer.Result result = XgboostTrainer.train(set, parsedParams, seed, holdout);
    byte[] onnx =
        XgboostOnnxExporter.export(
            result.modelJson(),
            result.featureNames(),
            name + " trained on " + data.service + " at " + Instant.now());
    TrainingRun run =
        TrainingRun.of(
            name, result, set, DefinitionsHash.of(registry, data.service), Instant.now());
    Files.createDirectories(outDir);
    Files.write(outDir.resolve("model.onnx"), onnx);
    JSON.writeValue(outDir.resolve("run.json").toFile(), run);
    print(run, result.holdoutMetrics(), onnx);
    return 0;
  }

  private void print(TrainingRun run, ClassifierMetrics m, byte[] onnx) {
    System.out.printf(
        "Trained %s on %s: %,d rows (%,d positive) from %s to %s, params %s%n",
        name,
        data.service,
        run.trainRows() + run.holdoutRows(),
        run.trainPositives() + run.holdoutPositives(),
        run.dataFrom(),
        run.dataTo(),
        run.params());
    System.out.printf(
        "Holdout %,d rows (%,d positive): AUC %.4f  precision %.4f  recall %.4f  accuracy %.4f"
            + "  log loss %.4f  (threshold %.2f)%n",
        m.rows(),
        m.positives(),
        m.auc(),
        m.precision(),
        m.recall(),
        m.accuracy(),
        m.logLoss(),
        m.threshold());
    System.out.printf(
        "Wrote %s (sha256 %s, %,d bytes) and %s; definitions %s%n",
        outDir.resolve("model.onnx"),
        ArtifactStore.sha256(onnx),
        onnx.length,
        outDir.resolve("run.json"),
        run.definitionsHash());
  }
}
