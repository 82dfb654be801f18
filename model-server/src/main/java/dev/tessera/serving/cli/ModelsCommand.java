package dev.tessera.serving.cli;

import dev.tessera.features.config.FeatureStoreConfig;
import dev.tessera.serving.registry.ModelRegistry;
import dev.tessera.serving.registry.ModelVersion;
import dev.tessera.serving.registry.RegisteredModel;
import dev.tessera.serving.registry.RegistryClient;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tessera models}: a table of registered models, their versions and aliases, read straight
 * from Kafka.
 *
 * <pre>
 * tessera models
 * tessera models --name churn
 * </pre>
 */
@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    description = "List registered models with their versions and aliases.")
final class ModelsCommand implements Callable<Integer> {
  private static final String FORMAT = "%-16s %7s  %-16s %-20s %-20s %-12s %10s  %s%n";

  @Spec CommandSpec spec;

  @Mixin NodeOptions options;

  @Option(names = "--name", paramLabel = "MODEL", description = "Only this model.")
  String name;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (var client = RegistryClient.open(new FeatureStoreConfig(options.settings()))) {
      ModelRegistry registry = client.registry();
      List<RegisteredModel> models =
          name == null
              ? registry.models()
              : List.of(
                  registry
                      .model(name)
                      .orElseThrow(
                          () ->
                              new IllegalArgumentException(
                                  "No registered model "
                                      + name
                                      + "; registered: "
                                      + registry.models().stream()
                                          .map(RegisteredModel::name)
                                          .toList())));
      if (models.isEmpty()) {
        out.println("No registered models.");
      } else {
        out.printf(
            FORMAT,
            "MODEL",
            "VERSION",
            "FEATURE_SERVICE",
            "ALIASES",
            "CREATED",
            "SHA256",
            "BYTES",
            "DESCRIPTION");
        for (RegisteredModel model : models) {
          print(out, registry, model);
        }
      }
      out.flush();
    }
    return 0;
  }

  private static void print(PrintWriter out, ModelRegistry registry, RegisteredModel model) {
    Map<String, Integer> aliases = registry.aliases(model.name());
    List<ModelVersion> versions = registry.versions(model.name());
    if (versions.isEmpty()) {
      out.printf(FORMAT, model.name(), "-", "", "", "", "", "", model.description());
    }
    for (ModelVersion v : versions) {
      String names =
          aliases.entrySet().stream()
              .filter(e -> e.getValue() == v.version())
              .map(Map.Entry::getKey)
              .sorted()
              .collect(Collectors.joining(","));
      out.printf(
          FORMAT,
          v.name(),
          v.version(),
          v.featureService(),
          names,
          Instant.ofEpochMilli(v.creationTimestamp()).truncatedTo(ChronoUnit.SECONDS),
          v.artifactSha256().substring(0, 12),
          String.format("%,d", v.artifactSize()),
          v.description());
    }
  }
}
