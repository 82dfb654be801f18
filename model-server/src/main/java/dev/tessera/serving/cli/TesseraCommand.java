package dev.tessera.serving.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code tessera} command line.
 *
 * <pre>
 * java -jar tessera.jar demo                      # everything, with its own Kafka
 * java -jar tessera.jar serve --bootstrap-servers broker:9092
 * java -jar tessera.jar produce --rate 50
 * java -jar tessera.jar register --name churn --feature-service churn_v2 --model model.onnx
 * </pre>
 */
@Command(
    name = "tessera",
    mixinStandardHelpOptions = true,
    version = "tessera 0.1.0",
    description = "Real-time features and model serving on Kafka Streams.",
    subcommands = {
      DemoCommand.class,
      ServeCommand.class,
      ProduceCommand.class,
      TrainingSetCommand.class,
      TrainCommand.class,
      RegisterCommand.class,
      ModelsCommand.class,
      AliasCommand.class,
      EndpointCommand.class,
      FeaturesCommand.class,
      EndpointActionCommand.Report.class,
      EndpointActionCommand.Promote.class,
      EndpointActionCommand.Rollback.class,
      EndpointActionCommand.Retrain.class
    })
public final class TesseraCommand implements Runnable {

  private static final String KEEPALIVE_PROPERTY = "jdk.httpclient.keepalive.timeout";

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    // The JDK client keeps idle connections for 1200 s, Jetty closes them after 30 s: a POST sent
    // on a connection the peer has just closed fails ("header parser received no bytes") and the
    // JDK does not retry it. Peers forwarding lookups must give connections up first.
    if (System.getProperty(KEEPALIVE_PROPERTY) == null) {
      System.setProperty(KEEPALIVE_PROPERTY, "20");
    }
    System.exit(
        new CommandLine(new TesseraCommand())
            .setExecutionExceptionHandler(TesseraCommand::explain)
            .execute(args));
  }

  /** A failed command says why in a line or two, without a stack trace, and exits with 1. */
  static int explain(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
    var message = new StringBuilder("tessera " + command.getCommandName() + ": " + e.getMessage());
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause.getMessage() != null && !message.toString().contains(cause.getMessage())) {
        message.append("\n  caused by: ").append(cause.getMessage());
      }
    }
    command.getErr().println(message);
    return 1;
  }
}
