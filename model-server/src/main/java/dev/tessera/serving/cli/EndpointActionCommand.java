package dev.tessera.serving.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tessera report}, {@code tessera promote} and {@code tessera rollback}: an endpoint's
 * experiment, and the two one-call decisions, through a running node's HTTP API.
 *
 * <pre>
 * tessera report churn
 * tessera promote churn     # champion alias -> the challenger's version, champion route 100%
 * tessera rollback churn    # undo the last promotion
 * </pre>
 */
final class EndpointActionCommand {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PREFIX = "/api/2.0/serving-endpoints/";

  private EndpointActionCommand() {}

  /** What every endpoint command takes: the node's API and the endpoint. */
  abstract static class OnEndpoint implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ApiOptions api;

    @Parameters(index = "0", paramLabel = "ENDPOINT", description = "Endpoint name, e.g. churn.")
    String endpoint;
  }

  @Command(
      name = "report",
      mixinStandardHelpOptions = true,
      description =
          "Show an endpoint's experiment: per variant rows, customers, errors, AUC with its 95%"
              + " interval, log loss, latency, the sample-ratio test, guardrails and a"
              + " recommendation.")
  static final class Report extends OnEndpoint {
    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      out.print(new NodeApi(api).call("GET", PREFIX + endpoint + "/experiment?format=text", null));
      out.flush();
      return 0;
    }
  }

  @Command(
      name = "promote",
      mixinStandardHelpOptions = true,
      description =
          "Promote an endpoint's challenger: the champion alias moves to its version and the"
              + " champion route takes all traffic. Audited; undo with 'tessera rollback'.")
  static final class Promote extends OnEndpoint {
    @Override
    public Integer call() {
      return act(spec, api, endpoint, "promote");
    }
  }

  @Command(
      name = "rollback",
      mixinStandardHelpOptions = true,
      description =
          "Undo an endpoint's last promotion: the champion alias and the routes as they were.")
  static final class Rollback extends OnEndpoint {
    @Override
    public Integer call() {
      return act(spec, api, endpoint, "rollback");
    }
  }

  private static int act(CommandSpec spec, ApiOptions api, String endpoint, String action) {
    String body = new NodeApi(api).call("POST", PREFIX + endpoint + "/" + action, "");
    PrintWriter out = spec.commandLine().getOut();
    try {
      JsonNode node = JSON.readTree(body);
      JsonNode events = node.get("events");
      JsonNode last = events.get(events.size() - 1);
      out.printf(
          "%s: %s (config version %d)%n",
          last.get("action").asText(),
          last.get("reason").asText(),
          node.get("config_version").asLong());
      for (JsonNode route : node.at("/config/traffic_config/routes")) {
        out.printf(
            "  %-20s %3d%%%n",
            route.get("served_model_name").asText(), route.get("traffic_percentage").asInt());
      }
    } catch (IOException e) {
      out.println(body);
    }
    out.flush();
    return 0;
  }
}
