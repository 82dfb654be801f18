package dev.tessera.serving.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tessera.features.config.FeatureStoreConfig;
import dev.tessera.serving.config.RetrainConfig;
import dev.tessera.serving.config.ServingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Structure of docker/Dockerfile and docker/docker-compose.yml, which no test can run here (there
 * is no Docker engine on the build machine): three brokers and three nodes wired to each other,
 * settings that exist, ports that do not collide, a multi-stage image run by a non-root user.
 */
class DockerFilesTest {
  private static final String ENV_PREFIX = "TESSERA_";

  private static Path dockerDir;
  private static JsonNode services;

  @BeforeAll
  static void readCompose() throws IOException {
    dockerDir = findDockerDir();
    var yaml = new ObjectMapper(new YAMLFactory());
    services = yaml.readTree(dockerDir.resolve("docker-compose.yml").toFile()).path("services");
  }

  /** The tests run from the module or the repository root: look upwards for docker/. */
  private static Path findDockerDir() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("docker/docker-compose.yml"))) {
        return dir.resolve("docker");
      }
    }
    throw new IllegalStateException(
        "No docker/docker-compose.yml above " + Path.of("").toAbsolutePath());
  }

  @Test
  void shouldDeclareThreeKraftBrokersWithReplicationThreeAndMinIsrTwo() {
    var brokers = brokers();
    assertThat(brokers).hasSize(3);
    var nodeIds = new TreeSet<String>();
    var voters = new HashSet<String>();
    var clusterIds = new HashSet<String>();
    brokers.forEach(
        (name, service) -> {
          assertThat(service.path("image").asText()).startsWith("apache/kafka:");
          var env = env(name, service);
          nodeIds.add(env.get("KAFKA_NODE_ID"));
          voters.add(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS"));
          clusterIds.add(env.get("CLUSTER_ID"));
          assertThat(env)
              .as(name)
              .containsEntry("KAFKA_PROCESS_ROLES", "broker,controller")
              .containsEntry("KAFKA_DEFAULT_REPLICATION_FACTOR", "3")
              .containsEntry("KAFKA_MIN_INSYNC_REPLICAS", "2")
              .containsEntry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "3")
              .containsEntry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "3")
              .containsEntry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "2");
          assertThat(env.get("KAFKA_ADVERTISED_LISTENERS"))
              .as(name + " advertises itself on the compose network")
              .contains("PLAINTEXT://" + hostname(name, service) + ":19092");
        });
    assertThat(nodeIds).containsExactly("1", "2", "3");
    assertThat(clusterIds).as("one cluster id for all brokers").hasSize(1).doesNotContainNull();
    assertThat(voters).as("one static voter list for all brokers").hasSize(1);
    var expectedVoters = new ArrayList<String>();
    brokers.forEach(
        (name, service) ->
            expectedVoters.add(
                env(name, service).get("KAFKA_NODE_ID") + "@" + hostname(name, service) + ":9093"));
    assertThat(voters.iterator().next().split(","))
        .containsExactlyInAnyOrderElementsOf(expectedVoters);
  }

  @Test
  void shouldRunThreeNodesFromTheDockerfileEachReachableAtItsApplicationServer() {
    var nodes = nodes();
    assertThat(nodes).hasSize(3);
    var brokerAddresses = new TreeSet<String>();
    brokers().forEach((name, service) -> brokerAddresses.add(hostname(name, service) + ":19092"));
    var appIds = new HashSet<String>();
    nodes.forEach(
        (name, service) -> {
          assertThat(service.path("build").path("dockerfile").asText())
              .as(name)
              .isEqualTo("docker/Dockerfile");
          var env = env(name, service);
          var httpPort = env.get("TESSERA_HTTP_PORT");
          assertThat(httpPort).as(name + " TESSERA_HTTP_PORT").isNotNull();
          assertThat(env.get("TESSERA_APPLICATION_SERVER"))
              .as(name + " application.server")
              .isEqualTo(hostname(name, service) + ":" + httpPort);
          assertThat(containerPorts(service))
              .as(name + " publishes its HTTP port")
              .contains(httpPort);
          assertThat(env)
              .as(name)
              .containsEntry("TESSERA_NUM_STANDBY_REPLICAS", "1")
              .containsEntry("TESSERA_TOPIC_REPLICATION_FACTOR", "3")
              .containsEntry("TESSERA_HTTP_HOST", "0.0.0.0");
          assertThat(
                  env.containsKey("TESSERA_AUTH_TOKENS_FILE")
                      || env.containsKey("TESSERA_AUTH_TOKENS"))
              .as(name + " has tokens (it binds beyond loopback)")
              .isTrue();
          assertThat(new TreeSet<>(List.of(env.get("TESSERA_BOOTSTRAP_SERVERS").split(","))))
              .as(name + " bootstrap servers")
              .isEqualTo(brokerAddresses);
          appIds.add(env.get("TESSERA_APPLICATION_ID"));
        });
    assertThat(appIds).as("one application id for all nodes").hasSize(1);
  }

  @Test
  void shouldOnlySetTesseraVariablesThatNameRealSettings() {
    var known = new HashSet<String>();
    known.addAll(ServingConfig.DEFINITION.names());
    known.addAll(RetrainConfig.DEFINITION.names());
    known.addAll(FeatureStoreConfig.DEFINITION.names());
    var unknown = new TreeSet<String>();
    services
        .properties()
        .forEach(
            service ->
                env(service.getKey(), service.getValue())
                    .keySet()
                    .forEach(
                        name -> {
                          if (name.startsWith(ENV_PREFIX) && !known.contains(keyOf(name))) {
                            unknown.add(service.getKey() + ": " + name);
                          }
                        }));
    assertThat(unknown).as("TESSERA_* variables that are no setting").isEmpty();
  }

  @Test
  void shouldPublishEveryHostPortOnceAndOnLoopback() {
    var seen = new HashMap<String, String>();
    services
        .properties()
        .forEach(
            service -> {
              for (JsonNode port : service.getValue().path("ports")) {
                var parts = port.asText().split(":");
                assertThat(parts).as(service.getKey() + " port " + port).hasSize(3);
                assertThat(parts[0])
                    .as(service.getKey() + " binds loopback")
                    .isEqualTo("127.0.0.1");
                var previous = seen.put(parts[1], service.getKey());
                assertThat(previous)
                    .as("host port " + parts[1] + " of " + service.getKey())
                    .isNull();
              }
            });
    assertThat(seen).hasSize(6);
  }

  @Test
  void shouldBuildInStagesAndRunAsNonRootWithOnnxRuntimeLibrariesExtracted() throws IOException {
    var instructions = instructions(Files.readAllLines(dockerDir.resolve("Dockerfile")));
    var froms = instructions.stream().filter(i -> i.startsWith("FROM ")).toList();
    assertThat(froms).as("stages").hasSizeGreaterThanOrEqualTo(2);
    assertThat(froms.get(0)).contains("maven").contains("17").contains(" AS ");
    assertThat(froms.get(froms.size() - 1)).contains("17-jre");

    var last = instructions.get(instructions.size() - 1);
    assertThat(last).as("last instruction").startsWith("USER ");
    var user = last.substring("USER ".length()).trim().split(":")[0];
    assertThat(user).as("user").isNotIn("root", "0");

    var finalStage =
        instructions.subList(
            instructions.lastIndexOf(froms.get(froms.size() - 1)), instructions.size());
    var entrypoint =
        finalStage.stream().filter(i -> i.startsWith("ENTRYPOINT ")).findFirst().orElseThrow();
    var property = "-Donnxruntime.native.path=";
    assertThat(entrypoint).contains(property).contains("tessera.jar");
    var start = entrypoint.indexOf(property) + property.length();
    var nativeDir = entrypoint.substring(start, entrypoint.indexOf('"', start));
    assertThat(finalStage)
        .as("the final stage copies the native libraries to " + nativeDir)
        .anyMatch(i -> i.startsWith("COPY --from=") && i.replaceAll("/$", "").endsWith(nativeDir));
    assertThat(String.join("\n", instructions))
        .contains("libonnxruntime.so")
        .contains("libonnxruntime4j_jni.so");
  }

  /** TESSERA_HTTP_PORT → http.port, as the node reads its environment. */
  private static String keyOf(String envName) {
    return envName.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
  }

  private static Map<String, JsonNode> brokers() {
    return servicesWhere(s -> s.path("image").asText().startsWith("apache/kafka"));
  }

  private static Map<String, JsonNode> nodes() {
    return servicesWhere(s -> s.has("build"));
  }

  private static Map<String, JsonNode> servicesWhere(Predicate<JsonNode> test) {
    var found = new LinkedHashMap<String, JsonNode>();
    services
        .properties()
        .forEach(
            e -> {
              if (test.test(e.getValue())) {
                found.put(e.getKey(), e.getValue());
              }
            });
    return found;
  }

  private static String hostname(String name, JsonNode service) {
    return service.path("hostname").asText(name);
  }

  private static Map<String, String> env(String name, JsonNode service) {
    var env = service.path("environment");
    var values = new LinkedHashMap<String, String>();
    if (env.isMissingNode()) {
      return values;
    }
    assertThat(env.isObject()).as(name + " environment is a map").isTrue();
    env.properties().forEach(e -> values.put(e.getKey(), e.getValue().asText()));
    return values;
  }

  private static Set<String> containerPorts(JsonNode service) {
    var ports = new HashSet<String>();
    for (JsonNode port : service.path("ports")) {
      var parts = port.asText().split(":");
      ports.add(parts[parts.length - 1].split("/")[0]);
    }
    return ports;
  }

  /** Instructions of a Dockerfile: comments dropped, continuation lines joined. */
  private static List<String> instructions(List<String> lines) {
    var out = new ArrayList<String>();
    var current = new StringBuilder();
    for (String raw : lines) {
      var line = raw.strip();
      if (line.startsWith("#") || (line.isEmpty() && current.isEmpty())) {
        continue;
      }
      if (line.endsWith("\\")) {
        current.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      current.append(line);
      out.add(current.toString().strip());
      current.setLength(0);
    }
    return out;
  }
}
