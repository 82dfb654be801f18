package dev.tessera.serving.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code tessera features}: the feature catalog of a running node (see docs/FEATURES.md, "Catalog
 * and lineage"). Each subcommand is its own class; add new ones to {@code subcommands}.
 *
 * <pre>
 * tessera features list --tag churn
 * tessera features describe customer_churn
 * tessera features export --view customer_churn --as-of 2026-11-22T10:00:00Z --out churn.csv
 * </pre>
 */
@Command(
    name = "features",
    mixinStandardHelpOptions = true,
    description = "Browse the feature catalog of a running node: views, live figures, lineage.",
    subcommands = {
      FeaturesListCommand.class,
      FeaturesDescribeCommand.class,
      FeaturesExportCommand.class,
    })
final class FeaturesCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The path of the catalog routes. */
  static final String PREFIX = "/api/2.0/feature-store";

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static void print(CommandLine command, String text) {
    command.getOut().print(text);
    command.getOut().flush();
  }
}
