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
    // A flag not given must leave the same key given with -D alone.
    putIfGiven(flags, FeatureStoreConfig.BOOTSTRAP_SERVERS, bootstrapServers);
    putIfGiven(flags, ServingConfig.HTTP_HOST, httpHost);
    putIfGiven(flags, ServingConfig.HTTP_PORT, httpPort);
    putIfGiven(flags, FeatureStoreConfig.STATE_DIR, stateDir);
    return flags;
  }

  private static void putIfGiven(Map<String, String> flags, String key, Object value) {
    if (value != null) {
      flags.put(key, value.toString());
    }
  }

  Map<String, String> settings() {
    return Settings.resolve(config, System.getenv(), flags());
  }
}
