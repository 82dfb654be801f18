package dev.tessera.serving.cli;

import dev.tessera.features.config.FeatureStoreConfig;
import dev.tessera.serving.registry.RegistryClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tessera alias}: points an alias of a model at a version (creating or moving it), or
 * deletes it, straight on Kafka.
 *
 * <pre>
 * tessera alias --name churn --alias champion --version 2
 * tessera alias --name churn --alias challenger --delete
 * </pre>
 */
@Command(
    name = "alias",
    mixinStandardHelpOptions = true,
    description = "Point an alias (champion, challenger, any name) of a model at a version.")
final class AliasCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin NodeOptions options;

  @Option(names = "--name", required = true, paramLabel = "MODEL", description = "Model name.")
  String name;

  @Option(names = "--alias", required = true, paramLabel = "ALIAS", description = "Alias name.")
  String alias;

  @ArgGroup(multiplicity = "1")
  Target target;

  static final class Target {
    @Option(names = "--version", paramLabel = "N", description = "Version to point at.")
    Integer version;

    @Option(names = "--delete", description = "Delete the alias instead.")
    boolean delete;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (var client = RegistryClient.open(new FeatureStoreConfig(options.settings()))) {
      Integer before = client.registry().aliases(name).get(alias);
      if (target.delete) {
        client.writer().deleteAlias(name, alias);
        out.printf("Deleted alias %s of %s (was version %s)%n", alias, name, before);
      } else {
        client.writer().setAlias(name, alias, target.version);
        out.printf(
            "%s of %s -> version %d%s%n",
            alias, name, target.version, before == null ? " (new)" : " (was " + before + ")");
      }
      out.flush();
    }
    return 0;
  }
}
