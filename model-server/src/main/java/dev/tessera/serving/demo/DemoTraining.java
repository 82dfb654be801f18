package dev.tessera.serving.demo;

import dev.tessera.features.definition.DefinitionsHash;
import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.offline.EventLog;
import dev.tessera.features.offline.FeatureTable;
import dev.tessera.features.offline.LabelRow;
import dev.tessera.features.offline.OfflineEngine;
import dev.tessera.features.offline.ProgressListener;
import dev.tessera.serving.demo.world.WorldLabel;
import dev.tessera.serving.training.TrainingRun;
import dev.tessera.serving.training.TrainingSet;
import dev.tessera.serving.training.XgboostOnnxExporter;
import dev.tessera.serving.training.XgboostParams;
import dev.tessera.serving.training.XgboostTrainer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The demo's two models: one point-in-time training set of the widest feature service, then an
 * XGBoost model per feature service on its columns (v1: order features only, v2: orders and
 * engagement), each exported to ONNX with its run record.
 *
 * <pre>{@code
 * List<DemoTraining.Trained> models =
 *     DemoTraining.train(registry, world.labels(), log, List.of("churn_v1", "churn_v2"), workDir);
 * System.out.print(DemoTraining.sideBySide(models));
 * }</pre>
 */
public final class DemoTraining {
  /** Fewer rounds than the CLI default: the demo should start in seconds, not minutes. */
  public static final String PARAMS = "n_estimators=100,max_depth=5,eta=0.15";

  public static final long SEED = 42;

  private DemoTraining() {}

  /** A model trained for one feature service. */
  public record Trained(String service, TrainingRun run, byte[] onnx) {}

  /** Trains one model per service; {@code services.get(last)} must hold every other's columns. */
  public static List<Trained> train(
      FeatureRegistry registry,
      List<WorldLabel> labels,
      EventLog log,
      List<String> services,
      Path workDir,
      ProgressListener progress) {
    List<LabelRow> rows =
        labels.stream()
            .map(l -> new LabelRow(l.customerId(), l.ts().toEpochMilli(), l.label(), Map.of()))
            .toList();
    return train(registry, "churn", rows, log, services, workDir, progress);
  }

  /**
   * Trains one model of {@code model} per service on {@code rows} (keys, times, labels and request
   * fields), from one replay of {@code log}; {@code services.get(last)} must hold every other's
   * columns.
   */
  public static List<Trained> train(
      FeatureRegistry registry,
      String model,
      List<LabelRow> rows,
      EventLog log,
      List<String> services,
      Path workDir,
      ProgressListener progress) {
    String widest = services.get(services.size() - 1);
    FeatureTable table = OfflineEngine.trainingSet(registry, widest, rows, log, progress, workDir);
    return services.stream()
        .map(
            s ->
                train(
                    registry,
                    model,
                    s,
                    select(table, registry.columns(registry.service(s).orElseThrow()))))
        .toList();
  }

  private static Trained train(
      FeatureRegistry registry, String model, String service, TrainingSet set) {
    XgboostTrainer.Result result = XgboostTrainer.train(set, XgboostParams.parse(PARAMS), SEED);
    byte[] onnx =
        XgboostOnnxExporter.export(
            result.modelJson(), result.featureNames(), model + " demo model on " + service);
    return new Trained(
        service,
        TrainingRun.of(model, result, set, DefinitionsHash.of(registry, service), Instant.now()),
        onnx);
  }

  /** The table's rows restricted to {@code columns}, as float32 model inputs. */
  static TrainingSet select(FeatureTable table, List<String> columns) {
    return TrainingSet.of(table, columns);
  }

  /** The runs' holdout metrics as a small table, one column per model. */
  public static String sideBySide(List<Trained> models) {
    var out = new StringBuilder(String.format("%-22s", "holdout"));
    models.forEach(m -> out.append(String.format("%14s", m.service())));
    out.append('\n');
    row(out, "features", models, m -> String.valueOf(m.run().featureNames().size()));
    row(
        out,
        "rows (positive)",
        models,
        m -> m.run().holdoutRows() + " (" + m.run().holdoutPositives() + ")");
    row(out, "AUC", models, m -> String.format("%.3f", m.run().holdoutMetrics().auc()));
    row(out, "log loss", models, m -> String.format("%.3f", m.run().holdoutMetrics().logLoss()));
    row(
        out,
        "precision @0.5",
        models,
        m -> String.format("%.3f", m.run().holdoutMetrics().precision()));
    row(out, "recall @0.5", models, m -> String.format("%.3f", m.run().holdoutMetrics().recall()));
    return out.toString();
  }

  private static void row(
      StringBuilder out, String name, List<Trained> models, Function<Trained, String> value) {
    out.append(String.format("%-22s", name));
    models.forEach(m -> out.append(String.format("%14s", value.apply(m))));
    out.append('\n');
  }
}
