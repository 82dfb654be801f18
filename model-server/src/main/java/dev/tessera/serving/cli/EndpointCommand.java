package dev.tessera.serving.cli;

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
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tessera endpoint}: shows an endpoint (config, what the node serves, recent events), stores
 * a new config from a JSON file (Databricks' {@code config} shape), or deletes it, through a
 * running node's HTTP API.
 *
 * <pre>
 * tessera endpoint churn
 * tessera endpoint churn --config churn-90-10.json
 * tessera endpoint churn --delete
 * </pre>
 */
@Command(
    name = "endpoint",
    mixinStandardHelpOptions = true,
    description = "Show, configure (--config FILE) or delete (--delete) a serving endpoint.")
final class EndpointCommand implements Callable<Integer> {
  private static final String PREFIX = "/api/2.0/serving-endpoints/";

  @Spec CommandSpec spec;
  @Mixin ApiOptions api;

  @Parameters(index = "0", paramLabel = "ENDPOINT", description = "Endpoint name, e.g. churn.")
  String endpoint;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "JSON file with the config: {\"served_entities\": [...], \"traffic_config\": ...}")
  Path config;

  @Option(names = "--delete", description = "Delete the endpoint's stored config.")
  boolean delete;

  @Override
  public Integer call() {
    var node = new NodeApi(api);
    String body;
    if (delete) {
      node.call("DELETE", PREFIX + endpoint, null);
      body = node.call("GET", PREFIX + endpoint, null);
    } else if (config != null) {
      String json;
      try {
        json = Files.readString(config);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + config.toAbsolutePath(), e);
      }
      body = node.call("PUT", PREFIX + endpoint, "{\"config\": " + json + "}");
    } else {
      body = node.call("GET", PREFIX + endpoint, null);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(body);
    out.flush();
    return 0;
  }
}
