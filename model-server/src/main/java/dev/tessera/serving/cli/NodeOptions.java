package dev.tessera.serving.cli;

import dev.tessera.features.config.FeatureStoreConfig;
import dev.tessera.serving.config.ServingConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options shared by the commands that run a node or talk to Kafka. */
final class NodeOptions {
  @Option(
      names = {"-c", "--config"},
      description = "Properties file with settings (keys documented in docs/OPERATIONS.md).")
  Path config;

  @Option(
      names = "--bootstrap-servers",
      description = "Kafka brokers (default 127.0.0.1:9092; env TESSERA_BOOTSTRAP_SERVERS).")
  String bootstrapServers;

  @Option(names = "--http-host", description = "HTTP bind address (default 127.0.0.1).")
  String httpHost;

  @Option(names = "--http-port", description = "HTTP port (default 8080; 0 picks a free one).")
  Integer httpPort;

  @Option(names = "--state-dir", description = "RocksDB state directory.")
  Path stateDir;

  @Option(
      names = {"-D", "--set"},
      description = "Any setting as key=value, e.g. -D commit.interval.ms=50.")
  Map<String, String> extra = new HashMap<>();

  Map<String, String> flags() {
    var flags = new HashMap<String, String>(extra);
    flags.put(FeatureStoreConfig.BOOTSTRAP_SERVERS, bootstrapServers);
    flags.put(ServingConfig.HTTP_HOST, httpHost);
    flags.put(ServingConfig.HTTP_PORT, httpPort == null ? null : httpPort.toString());
    flags.put(FeatureStoreConfig.STATE_DIR, stateDir == null ? null : stateDir.toString());
    return flags;
  }

  Map<String, String> settings() {
    return Settings.resolve(config, System.getenv(), flags());
  }
}
