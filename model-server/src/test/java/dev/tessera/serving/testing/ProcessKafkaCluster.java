package dev.tessera.serving.testing;

import dev.tessera.serving.node.ListenPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real Apache Kafka cluster of {@code n} KRaft nodes (each a combined broker and controller in
 * its own JVM, static quorum) on loopback ports, with replication factor 3 and min ISR 2 as in
 * production, so that a test can SIGKILL one broker and lose nothing.
 *
 * <pre>{@code
 * try (var kafka = ProcessKafkaCluster.start(dir, logs, 3)) {
 *   kafka.kill(3);   // SIGKILL broker 3
 *   kafka.start(3);  // and back, with its log dir
 * }
 * }</pre>
 */
public final class ProcessKafkaCluster implements AutoCloseable {
  private static final Duration READY = Duration.ofSeconds(90);
  private static final int BIND_ATTEMPTS = 5;

  private final List<ChildJvm> brokers;
  private final String bootstrap;

  private ProcessKafkaCluster(List<ChildJvm> brokers, String bootstrap) {
    this.brokers = brokers;
    this.bootstrap = bootstrap;
  }

  /**
   * {@code n} brokers with their data under {@code dir} and their logs under {@code logs}, on ports
   * outside the ephemeral range ({@link ListenPorts}); should one be taken before its broker binds
   * it, the cluster starts again on other ports.
   */
  public static ProcessKafkaCluster start(Path dir, Path logs, int n) {
    for (int attempt = 1; ; attempt++) {
      Path attemptDir = dir.resolve("attempt-" + attempt);
      Path attemptLogs = attempt == 1 ? logs : logs.resolve("attempt-" + attempt);
      int[] ports = ListenPorts.pick("127.0.0.1", 2 * n);
      var brokers = new ArrayList<ChildJvm>();
      try {
        return start(attemptDir, attemptLogs, n, ports, brokers);
      } catch (RuntimeException | AssertionError e) {
        boolean portTaken =
            brokers.stream()
                .anyMatch(b -> b.outputOfLastStart().contains(ListenPorts.ADDRESS_IN_USE));
        if (!portTaken || attempt >= BIND_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private static ProcessKafkaCluster start(
      Path dir, Path logs, int n, int[] ports, List<ChildJvm> brokers) {
    String voters = "";
    var plain = new ArrayList<String>();
    for (int id = 1; id <= n; id++) {
      voters += (id > 1 ? "," : "") + id + "@127.0.0.1:" + ports[n + id - 1];
      plain.add("127.0.0.1:" + ports[id - 1]);
    }
    String clusterId = Uuid.randomUuid().toString();
    for (int id = 1; id <= n; id++) {
      Path home = dir.resolve("broker-" + id);
      Path props =
          writeProperties(home, id, ports[id - 1], ports[n + id - 1], voters, Math.min(n, 3));
      int exit =
          ChildJvm.of(
                  "format broker " + id,
                  logs.resolve("format-" + id + ".log"),
                  List.of("-Xmx256m"),
                  "kafka.tools.StorageTool",
                  List.of("format", "--cluster-id=" + clusterId, "-c", props.toString()))
              .runToEnd(READY);
      if (exit != 0) {
        throw new IllegalStateException("Formatting broker " + id + " failed with exit " + exit);
      }
      brokers.add(
          ChildJvm.of(
              "broker " + id,
              logs.resolve("broker-" + id + ".log"),
              List.of("-Xmx512m", "-Xms256m"),
              "kafka.Kafka",
              List.of(props.toString())));
    }
    var cluster = new ProcessKafkaCluster(brokers, String.join(",", plain));
    try {
      brokers.forEach(ChildJvm::start);
      cluster.awaitBrokers(n);
      return cluster;
    } catch (RuntimeException | AssertionError e) {
      cluster.close();
      throw e;
    }
  }

  public String bootstrapServers() {
    return bootstrap;
  }

  /** SIGKILL broker {@code id} (1-based). */
  public void kill(int id) {
    brokers.get(id - 1).kill();
  }

  /** Starts broker {@code id} again with its log dir, and waits until the cluster has it back. */
  public void start(int id) {
    brokers.get(id - 1).start();
    awaitBrokers(brokers.size());
  }

  private void awaitBrokers(int n) {
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000))) {
      Await.until(
          READY,
          n + " brokers in the cluster",
          () -> {
            for (ChildJvm broker : brokers) {
              if (!broker.alive()) {
                throw new Await.Abort(broker.name() + " exited");
              }
            }
            try {
              return admin.describeCluster().nodes().get().size() == n ? Boolean.TRUE : null;
            } catch (Exception e) {
              return null;
            }
          });
    } catch (AssertionError e) {
      throw new AssertionError(
          e.getMessage()
              + "\n"
              + brokers.stream().map(ChildJvm::tail).collect(Collectors.joining("\n")),
          e);
    }
  }

  @Override
  public void close() {
    for (ChildJvm b : brokers) {
      b.close();
    }
  }

  private static Path writeProperties(
      Path home, int id, int port, int controllerPort, String voters, int replicas) {
    int minIsr = Math.max(1, replicas - 1);
    String text =
        String.join(
            "\n",
            "process.roles=broker,controller",
            "node.id=" + id,
            "controller.quorum.voters=" + voters,
            "controller.listener.names=CONTROLLER",
            "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
            "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
            "inter.broker.listener.name=PLAINTEXT",
            "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
            "log.dirs=" + home.resolve("logs"),
            "offsets.topic.replication.factor=" + replicas,
            "transaction.state.log.replication.factor=" + replicas,
            "transaction.state.log.min.isr=" + minIsr,
            "share.coordinator.state.topic.replication.factor=" + replicas,
            "share.coordinator.state.topic.min.isr=" + minIsr,
            "default.replication.factor=" + replicas,
            "min.insync.replicas=" + minIsr,
            "unclean.leader.election.enable=false",
            "group.initial.rebalance.delay.ms=0",
            "auto.create.topics.enable=false",
            "");
    try {
      Files.createDirectories(home);
      Path props = home.resolve("server.properties");
      Files.writeString(props, text);
      return props;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write broker " + id + "'s properties", e);
    }
  }
}
