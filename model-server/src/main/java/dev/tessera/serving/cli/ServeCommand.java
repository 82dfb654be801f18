package dev.tessera.serving.cli;

import dev.tessera.serving.node.TesseraNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code tessera serve}: runs a node against an existing Kafka cluster until Ctrl-C. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Run a node (feature pipeline + HTTP API) against an existing Kafka cluster.")
final class ServeCommand implements Callable<Integer> {
  @Mixin NodeOptions options;

  @Override
  public Integer call() throws Exception {
    var signal = new ShutdownSignal();
    try (TesseraNode node = TesseraNode.start(options.settings())) {
      System.out.printf("Tessera node up: HTTP port %d. Ctrl-C stops.%n", node.httpPort());
      signal.await();
    } finally {
      signal.finished();
    }
    return 0;
  }
}
