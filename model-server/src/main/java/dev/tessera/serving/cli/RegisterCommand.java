package dev.tessera.serving.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.features.config.FeatureStoreConfig;
import dev.tessera.serving.registry.ModelVersion;
import dev.tessera.serving.registry.NewVersion;
import dev.tessera.serving.registry.RegistryClient;
import dev.tessera.serving.training.TrainingRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tessera register}: registers an ONNX file as the next version of a model, straight on
 * Kafka (no node needed). The model is created if it is new.
 *
 * <pre>
 * tessera register --name churn --feature-service churn_v2 --model model.onnx --run run.json
 * </pre>
 */
@Command(
    name = "register",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Register an ONNX model as the next version of --name in the registry on Kafka.",
      "",
      "The model's input must be a float tensor [N, F] with F the number of columns of"
          + " --feature-service, and it must score a row of zeros; otherwise nothing is written."
          + " With --run, the params, holdout metrics and data range of that training run"
          + " (tessera train's run.json) are copied into the version, and its definitions hash"
          + " as the param definitions_hash (checked by the feature catalog's lineage for"
          + " training/serving skew). See docs/API.md.",
      ""
    })
final class RegisterCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin NodeOptions options;

  @Option(names = "--name", required = true, paramLabel = "MODEL", description = "Model name.")
  String name;

  @Option(
      names = "--feature-service",
      required = true,
      paramLabel = "SERVICE",
      description = "Feature service whose columns are the model's inputs, e.g. churn_v2.")
  String featureService;

  @Option(names = "--model", required = true, paramLabel = "FILE", description = "ONNX file.")
  Path model;

  @Option(names = "--description", paramLabel = "TEXT", description = "Free text.")
  String description;

  @Option(
      names = "--run",
      paramLabel = "FILE",
      description =
          "TrainingRun JSON whose params, metrics, data range and definitions hash to copy.")
  Path run;

  @Override
  public Integer call() {
    byte[] onnx = read(model, "model");
    TrainingRun training = run == null ? null : readRun(run);
    PrintWriter out = spec.commandLine().getOut();
    try (var client = RegistryClient.open(new FeatureStoreConfig(options.settings()))) {
      ModelVersion version =
          client
              .writer()
              .createVersion(
                  NewVersion.trained(
                      name,
                      featureService,
                      onnx,
                      description,
                      training,
                      model.getFileName().toString()));
      out.printf(
          "Registered %s version %d: feature service %s (%d inputs), %,d bytes, sha256 %s%n",
          version.name(),
          version.version(),
          version.featureService(),
          version.inputSignature().columns().size(),
          version.artifactSize(),
          version.artifactSha256());
      out.flush();
    }
    return 0;
  }

  private static byte[] read(Path file, String what) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + what + " file " + file, e);
    }
  }

  private static TrainingRun readRun(Path file) {
    try {
      return new ObjectMapper().readValue(read(file, "run"), TrainingRun.class);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "Not a training run (TrainingRun JSON): " + file + ": " + e.getMessage(), e);
    }
  }
}
