package dev.tessera.serving.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tessera features describe VIEW}: one view with every feature's definition and lineage
 * (services, model versions, aliases, endpoints).
 *
 * <pre>
 * tessera features describe customer_churn
 * </pre>
 */
@Command(
    name = "describe",
    mixinStandardHelpOptions = true,
    description = {
      "Describe a feature view: its features (kind, aggregation, window, type, default), this"
          + " node's live figures, and which services, model versions and endpoints use each"
          + " feature."
    })
final class FeaturesDescribeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ApiOptions api;

  @Parameters(index = "0", paramLabel = "VIEW", description = "View name, e.g. customer_churn.")
  String view;

  @Option(names = "--json", description = "Print the API's JSON instead of text.")
  boolean json;

  @Override
  public Integer call() {
    String body =
        new NodeApi(api)
            .call("GET", FeaturesCommand.PREFIX + "/views/" + FeaturesCommand.encode(view), null);
    try {
      FeaturesCommand.print(
          spec.commandLine(),
          json ? body + "\n" : CatalogText.view(new ObjectMapper().readTree(body)));
    } catch (IOException e) {
      throw new UncheckedIOException("The node answered no JSON: " + body, e);
    }
    return 0;
  }
}
