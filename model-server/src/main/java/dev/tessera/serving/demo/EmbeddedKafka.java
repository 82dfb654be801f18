package dev.tessera.serving.demo;

import dev.tessera.serving.node.ListenPorts;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Apache Kafka broker (KRaft, combined broker and controller) inside this JVM,
 * for {@code tessera demo}. Its storage is formatted on first use and kept in {@code dataDir}.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.start(Path.of("/var/tmp/k"), "127.0.0.1", 9092)) {
 *   String bootstrap = kafka.bootstrapServers();
 * }
 * }</pre>
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final int NODE_ID = 1;
  private static final String CONTROLLER = "CONTROLLER";
  private static final int BIND_ATTEMPTS = 5;

  private final KafkaRaftServer server;
  private final String bootstrapServers;

  private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
  }

  /**
   * Formats {@code dataDir} if needed, starts the broker and waits until it answers. The controller
   * listens on a port outside the ephemeral range ({@link ListenPorts}), picked again should
   * another process take it first.
   */
  public static EmbeddedKafka start(Path dataDir, String host, int port) {
    for (int attempt = 1; ; attempt++) {
      int controllerPort = ListenPorts.pick(host, 1)[0];
      try {
        return start(dataDir, host, port, controllerPort);
      } catch (RuntimeException e) {
        if (attempt >= BIND_ATTEMPTS || !ListenPorts.isBindFailure(e)) {
          throw e;
        }
      }
    }
  }

  private static EmbeddedKafka start(Path dataDir, String host, int port, int controllerPort) {
    String bootstrap = host + ":" + port;
    Path logDir = dataDir.resolve("kraft-logs");
    var props = new Properties();
    props.put("process.roles", "broker,controller");
    props.put("node.id", Integer.toString(NODE_ID));
    props.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
    props.put(
        "listeners",
        "PLAINTEXT://" + bootstrap + "," + CONTROLLER + "://" + host + ":" + controllerPort);
    props.put("advertised.listeners", "PLAINTEXT://" + bootstrap);
    props.put("controller.listener.names", CONTROLLER);
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("log.dirs", logDir.toString());
    // A single broker: without these, exactly-once Streams waits forever in REBALANCING.
    props.put("offsets.topic.replication.factor", "1");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("auto.create.topics.enable", "false");
    format(logDir);
    var server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
    var kafka = new EmbeddedKafka(server, bootstrap);
    try {
      server.startup();
      kafka.awaitReady(Duration.ofSeconds(60));
    } catch (RuntimeException e) {
      kafka.close();
      throw e;
    }
    return kafka;
  }

  private static void format(Path logDir) {
    if (Files.exists(logDir.resolve("meta.properties"))) {
      return;
    }
    try {
      Files.createDirectories(logDir);
      new Formatter()
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .setClusterId(Uuid.randomUuid().toString())
          .setNodeId(NODE_ID)
          .addDirectory(logDir.toString())
          .setMetadataLogDirectory(logDir.toString())
          .setControllerListenerName(CONTROLLER)
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .run();
    } catch (Exception e) {
      throw new KafkaException("Could not format Kafka storage at " + logDir, e);
    }
  }

  private void awaitReady(Duration timeout) {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new KafkaException(
          "Embedded Kafka at " + bootstrapServers + " did not become ready in " + timeout, e);
    }
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
  }
}
