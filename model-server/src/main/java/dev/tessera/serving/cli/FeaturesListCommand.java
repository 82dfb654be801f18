package dev.tessera.serving.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tessera features list}: the feature views of a running node, optionally searched.
 *
 * <pre>
 * tessera features list
 * tessera features list --query churn --tag orders
 * </pre>
 */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = {
      "List the feature views: entity, owner, tags, sources, features and this node's live"
          + " figures (keys held, events/s, freshness, dead letters)."
    })
final class FeaturesListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ApiOptions api;

  @Option(
      names = "--query",
      paramLabel = "TEXT",
      description = "Only views whose name or description contains TEXT (any case).")
  String query;

  @Option(names = "--tag", paramLabel = "TAG", description = "Only views tagged TAG.")
  String tag;

  @Option(names = "--json", description = "Print the API's JSON instead of text.")
  boolean json;

  @Override
  public Integer call() {
    var params = new ArrayList<String>();
    if (query != null) {
      params.add("q=" + FeaturesCommand.encode(query));
    }
    if (tag != null) {
      params.add("tag=" + FeaturesCommand.encode(tag));
    }
    String path =
        FeaturesCommand.PREFIX
            + "/views"
            + (params.isEmpty() ? "" : "?" + String.join("&", params));
    String body = new NodeApi(api).call("GET", path, null);
    try {
      FeaturesCommand.print(
          spec.commandLine(),
          json ? body + "\n" : CatalogText.views(new ObjectMapper().readTree(body)));
    } catch (IOException e) {
      throw new UncheckedIOException("The node answered no JSON: " + body, e);
    }
    return 0;
  }
}
