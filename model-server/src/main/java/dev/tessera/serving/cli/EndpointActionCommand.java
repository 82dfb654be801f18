package dev.tessera.serving.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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

  @Command(
      name = "retrain",
      mixinStandardHelpOptions = true,
      description =
          "Run one retraining cycle of an endpoint's champion on the node: labels from the newest"
              + " outcomes, a candidate trained and judged with the champion on a recent holdout,"
              + " the quality gates, and if it passes: registered, aliased challenger and given"
              + " retrain.challenger.percent of the traffic. Prints every gate's verdict.")
  static final class Retrain extends OnEndpoint {
    @Option(names = "--dry-run", description = "Train, evaluate and judge; write nothing.")
    boolean dryRun;

    @Option(
        names = "--timeout",
        defaultValue = "PT30M",
        description = "Longest wait for the cycle (ISO-8601 duration, default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(
        names = "--set",
        paramLabel = "KEY=VALUE",
        description = "A retrain.* setting for this cycle only, e.g. retrain.params=max_depth=4.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Override
    public Integer call() throws JsonProcessingException {
      PrintWriter out = spec.commandLine().getOut();
      out.print(
          new NodeApi(api)
              .call(
                  "POST",
                  PREFIX + endpoint + "/retrain?format=text&dry_run=" + dryRun,
                  JSON.writeValueAsString(overrides),
                  timeout));
      out.flush();
      return 0;
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
