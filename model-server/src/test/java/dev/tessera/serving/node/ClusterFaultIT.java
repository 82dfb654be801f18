package dev.tessera.serving.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.features.offline.EventLog;
import dev.tessera.features.topology.FeatureTopology;
import dev.tessera.schemas.Prediction;
import dev.tessera.schemas.serde.EventSerdes;
import dev.tessera.schemas.topic.TopicCatalog;
import dev.tessera.serving.demo.world.ChurnWorld;
import dev.tessera.serving.demo.world.WorldProducer;
import dev.tessera.serving.registry.TestModels;
import dev.tessera.serving.testing.Await;
import dev.tessera.serving.testing.NodeProcess;
import dev.tessera.serving.testing.ProcessKafkaCluster;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crashes under load, with real processes: three Kafka brokers (replication factor 3, min ISR 2)
 * and three Tessera nodes (one standby each), each in its own JVM so that a test can SIGKILL it.
 * While events arrive and prediction requests are answered, a node is killed, then a broker, then
 * every node at once (with its state dir deleted). After each, every feature of every customer must
 * equal the offline engine's recomputation from the event log (nothing lost, nothing counted
 * twice), every answered prediction must be on the predictions topic, and registry and endpoint
 * changes must have survived.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(600)
class ClusterFaultIT {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int CUSTOMERS = 30;
  private static final double LIVE_EVENTS_PER_SECOND = 40;

  private final String appId = "faults-" + UUID.randomUUID();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Properties client = new Properties();
  private ProcessKafkaCluster kafka;
  private final List<NodeProcess> nodes = new ArrayList<>();
  private Admin admin;
  private WorldProducer producer;
  private ChurnWorld world;

  @BeforeAll
  void start(@TempDir Path dir) throws IOException {
    // Logs outside the temp dir, so that a failure in CI can be read afterwards.
    Path logs = Files.createDirectories(Path.of("target", "cluster-fault-it", appId));
    kafka = ProcessKafkaCluster.start(dir.resolve("kafka"), logs.resolve("kafka"), 3);
    client.put("bootstrap.servers", kafka.bootstrapServers());
    var settings =
        Map.of(
            "bootstrap.servers", kafka.bootstrapServers(),
            "application.id", appId,
            "num.standby.replicas", "1",
            "topic.replication.factor", "3",
            // Keys of a crashed node move after the session timeout; standbys answer meanwhile.
            "kafka.session.timeout.ms", "10000",
            // Not under test here, and the machine has two cores for six JVMs.
            "experiments.enabled", "false");
    for (int i = 1; i <= 3; i++) {
      nodes.add(NodeProcess.create("node-" + i, dir, logs, settings).start());
    }
    nodes.forEach(n -> n.awaitReady(WAIT));
    admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    producer = new WorldProducer(TopicCatalog.defaults(), client);
    world = ChurnWorld.create(CUSTOMERS, 60, 11, Instant.now().minusSeconds(1));
    FeatureParity.produceHistory(world, producer);
    FeatureParity.awaitCaughtUp(admin, appId, WAIT);
  }

  @AfterAll
  void stop() {
    var all = new ArrayList<AutoCloseable>();
    all.add(producer);
    all.add(admin);
    all.addAll(nodes);
    all.add(kafka);
    for (AutoCloseable c : all) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // best effort: the next one must close too
      }
    }
  }

  /**
   * Before any fault: the history was loaded while the nodes ran, topic by topic, so one topic's
   * events can run ahead of another's in a task. A difference here is the pipeline's, not a
   * fault's.
   */
  @Test
  @Order(0)
  void shouldMatchTheEventLogBeforeAnyFault() {
    assertEveryFeatureEqualsTheEventLog();
  }

  @Test
  @Order(1)
  void shouldServeEveryKeyThroughANodeCrashAndCountNothingTwice() throws Exception {
    NodeProcess victim = nodes.get(1);
    List<NodeProcess> survivors = List.of(nodes.get(0), nodes.get(2));
    LoadResult result;
    try (var load = Load.start(this, "crash", survivors)) {
      load.awaitAnswered(100);
      Instant killedAt = Instant.now();
      victim.kill();
      awaitGroupMembers(2);
      load.awaitAnsweredAfter(Instant.now(), 100);
      victim.start().awaitReady(WAIT);
      load.awaitAnsweredAfter(Instant.now(), 50);
      result = load.finish(producer);
      System.out.printf(
          "ClusterFaultIT node crash: %s; node killed at %s, back at %s%n",
          result.summary(), killedAt, Instant.now());
    }
    // Only "not available right now, retry" while the keys moved; never a 500 or a wrong answer.
    assertThat(result.failureStatuses()).isSubsetOf(Set.of(503));
    assertThat(result.answered()).isGreaterThanOrEqualTo(250);
    assertEveryFeatureEqualsTheEventLog();
  }

  @Test
  @Order(2)
  void shouldLoseNoEventPredictionOrRegistryChangeWhenABrokerDies() throws Exception {
    LoadResult result;
    try (var load = Load.start(this, "broker", nodes)) {
      load.awaitAnswered(100);
      kafka.kill(3);
      NodeProcess writer = nodes.get(0);
      registerFaultModel(writer);
      load.awaitAnsweredAfter(Instant.now(), 100);
      kafka.start(3);
      load.awaitAnsweredAfter(Instant.now(), 50);
      result = load.finish(producer);
      System.out.printf("ClusterFaultIT broker crash: %s%n", result.summary());
    }
    // Partition leaders move off the dead broker: a lookup may be told to retry meanwhile.
    assertThat(result.failureStatuses()).isSubsetOf(Set.of(503));
    assertEveryAnsweredPredictionIsLogged(result.answeredIds());
    assertRegistryAndEndpointSurvived();
    assertEveryFeatureEqualsTheEventLog();
  }

  @Test
  @Order(3)
  void shouldRestoreEveryStoreFromChangelogsWhenEveryNodeRestarts() throws Exception {
    for (NodeProcess node : nodes) {
      node.kill();
      Directories.deleteRecursively(node.stateDir());
    }
    long started = System.nanoTime();
    nodes.forEach(NodeProcess::start);
    nodes.forEach(n -> n.awaitReady(WAIT));
    System.out.printf(
        "ClusterFaultIT full restart: 3 nodes with empty state dirs ready in %d ms%n",
        Duration.ofNanos(System.nanoTime() - started).toMillis());
    assertRegistryAndEndpointSurvived();
    assertEveryFeatureEqualsTheEventLog();
  }

  private void assertEveryFeatureEqualsTheEventLog() {
    FeatureParity.awaitCaughtUp(admin, appId, WAIT);
    var observed = new ArrayList<FeatureParity.Observed>();
    for (NodeProcess node : nodes) {
      // Every node answers every key, its own and (forwarded) the others'.
      observed.addAll(FeatureParity.lookUpCustomers(node.url("/"), CUSTOMERS, WAIT));
    }
    EventLog log =
        EventLog.fromKafka(
            client,
            TopicCatalog.defaults(),
            FeatureTopology.timeFields(FeatureParity.REGISTRY.views()),
            WAIT);
    Map<String, Long> counts = producer.counts();
    long produced =
        counts.getOrDefault("customers", 0L)
            + counts.getOrDefault("orders", 0L)
            + counts.getOrDefault("clicks", 0L);
    assertThat(log.events()).as("events read back").hasSize((int) produced);
    int compared = FeatureParity.assertMatchesReplay(observed, log);
    assertThat(compared).isEqualTo(3 * CUSTOMERS * (18 + 5));
  }

  private void registerFaultModel(NodeProcess node) throws Exception {
    String artifact = Base64.getEncoder().encodeToString(TestModels.forService("churn_v2", -0.5));
    send(node, "POST", "/api/2.0/mlflow/registered-models/create", "{\"name\":\"fault-model\"}");
    send(
        node,
        "POST",
        "/api/2.0/mlflow/model-versions/create",
        "{\"name\":\"fault-model\",\"feature_service\":\"churn_v2\",\"artifact\":\""
            + artifact
            + "\"}");
    send(
        node,
        "POST",
        "/api/2.0/mlflow/registered-models/alias",
        "{\"name\":\"fault-model\",\"alias\":\"champion\",\"version\":\"1\"}");
    send(
        node,
        "PUT",
        "/api/2.0/serving-endpoints/fault",
        "{\"config\":{\"served_entities\":[{\"name\":\"only\",\"entity_name\":\"fault-model\","
            + "\"alias\":\"champion\"}]}}");
  }

  private void assertRegistryAndEndpointSurvived() {
    for (NodeProcess node : nodes) {
      JsonNode version =
          Await.until(
              WAIT,
              "fault-model@champion on " + node.address(),
              () ->
                  okJson(
                      node,
                      "GET",
                      "/api/2.0/mlflow/registered-models/get-by-alias"
                          + "?name=fault-model&alias=champion",
                      null));
      assertThat(version.at("/model_version/version").asText()).isEqualTo("1");
      JsonNode answer =
          Await.until(
              WAIT,
              "the fault endpoint on " + node.address(),
              () ->
                  okJson(
                      node,
                      "POST",
                      "/serving-endpoints/fault/invocations",
                      "{\"dataframe_records\":[{\"customer_id\":\"C-1\"}]}"));
      assertThat(answer.at("/predictions/0/model_name").asText()).isEqualTo("fault-model");
    }
  }

  private void assertEveryAnsweredPredictionIsLogged(Set<String> answered) {
    var props = new Properties();
    props.putAll(client);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "fault-check-" + UUID.randomUUID());
    var logged = new HashSet<String>();
    try (var consumer =
        new KafkaConsumer<>(
            props, new StringDeserializer(), EventSerdes.predictions().deserializer())) {
      consumer.subscribe(List.of(TopicCatalog.PREDICTIONS));
      Await.until(
          WAIT,
          "all " + answered.size() + " answered requests on the predictions topic",
          () -> {
            for (var r : consumer.poll(Duration.ofMillis(200))) {
              Prediction p = r.value();
              if (p.getClientRequestId() != null) {
                logged.add(p.getClientRequestId());
              }
            }
            return logged.containsAll(answered) ? Boolean.TRUE : null;
          });
    }
  }

  private void awaitGroupMembers(int n) {
    Await.until(
        WAIT,
        n + " members in " + appId,
        () -> {
          try {
            var group = admin.describeConsumerGroups(List.of(appId)).all().get().get(appId);
            return group.members().size() == n ? Boolean.TRUE : null;
          } catch (Exception e) {
            return null;
          }
        });
  }

  /** A control-topic write: with a broker just gone it waits for a new transaction coordinator. */
  private void send(NodeProcess node, String method, String path, String body) throws Exception {
    HttpResponse<String> r = request(node, method, path, body, WAIT);
    assertThat(r.statusCode()).as("%s %s: %s", method, path, r.body()).isEqualTo(200);
  }

  private JsonNode okJson(NodeProcess node, String method, String path, String body) {
    try {
      HttpResponse<String> r = request(node, method, path, body);
      return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
    } catch (Exception e) {
      return null;
    }
  }

  HttpResponse<String> request(NodeProcess node, String method, String path, String body)
      throws IOException, InterruptedException {
    return request(node, method, path, body, Duration.ofSeconds(10));
  }

  private HttpResponse<String> request(
      NodeProcess node, String method, String path, String body, Duration timeout)
      throws IOException, InterruptedException {
    var builder =
        HttpRequest.newBuilder(node.url(path))
            .timeout(timeout)
            .header("Content-Type", "application/json");
    builder.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** What a load run saw. */
  record LoadResult(List<Outcome> outcomes) {
    record Outcome(String clientId, Instant at, int status) {}

    int answered() {
      return (int) outcomes.stream().filter(o -> o.status() == 200).count();
    }

    Set<String> answeredIds() {
      var ids = new HashSet<String>();
      outcomes.stream().filter(o -> o.status() == 200).forEach(o -> ids.add(o.clientId()));
      return ids;
    }

    Set<Integer> failureStatuses() {
      var statuses = new HashSet<Integer>();
      outcomes.stream().filter(o -> o.status() != 200).forEach(o -> statuses.add(o.status()));
      return statuses;
    }

    String summary() {
      var failed = outcomes.stream().filter(o -> o.status() != 200).toList();
      String window =
          failed.isEmpty()
              ? "none failed"
              : failed.size()
                  + " failed "
                  + failureStatuses()
                  + " over "
                  + Duration.between(failed.get(0).at(), failed.get(failed.size() - 1).at())
                      .toMillis()
                  + " ms";
      return outcomes.size() + " requests, " + answered() + " answered, " + window;
    }
  }

  /**
   * Steady load while a fault happens: the churn world's live events at a fixed rate on one thread,
   * one-row prediction requests for every customer in turn, spread over {@code targets}, on
   * another.
   */
  static final class Load implements AutoCloseable {
    private static final long REQUEST_INTERVAL_NANOS = Duration.ofMillis(20).toNanos();

    private final ClusterFaultIT test;
    private final List<LoadResult.Outcome> outcomes =
        Collections.synchronizedList(new ArrayList<>());
    private volatile boolean stopped;
    private final Thread events;
    private final Thread requests;
    private volatile RuntimeException eventFailure;

    private Load(ClusterFaultIT test, String name, List<NodeProcess> targets) {
      this.test = test;
      var live = test.world.live(Instant.now(), LIVE_EVENTS_PER_SECOND);
      events =
          new Thread(
              () -> {
                try {
                  test.producer.stream(live, 0, () -> stopped);
                } catch (RuntimeException e) {
                  eventFailure = e;
                }
              },
              "load-events");
      requests = new Thread(() -> sendRequests(name, targets), "load-requests");
    }

    static Load start(ClusterFaultIT test, String name, List<NodeProcess> targets) {
      var load = new Load(test, name, targets);
      load.events.start();
      load.requests.start();
      return load;
    }

    private void sendRequests(String name, List<NodeProcess> targets) {
      long next = System.nanoTime();
      for (int i = 0; !stopped; i++) {
        String id = name + "-" + i;
        String body =
            "{\"dataframe_records\":[{\"customer_id\":\"C-"
                + (i % CUSTOMERS + 1)
                + "\"}],\"client_request_id\":\""
                + id
                + "\"}";
        int status;
        try {
          status =
              test.request(
                      targets.get(i % targets.size()),
                      "POST",
                      "/serving-endpoints/churn/invocations",
                      body)
                  .statusCode();
        } catch (IOException e) {
          status = -1;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        outcomes.add(new LoadResult.Outcome(id, Instant.now(), status));
        // Pacing of a load generator, not synchronisation.
        next += REQUEST_INTERVAL_NANOS;
        LockSupport.parkNanos(next - System.nanoTime());
      }
    }

    void awaitAnswered(int n) {
      awaitAnsweredAfter(Instant.EPOCH, n);
    }

    void awaitAnsweredAfter(Instant from, int n) {
      Await.until(
          WAIT,
          n + " answered requests after " + from,
          () -> {
            if (eventFailure != null) {
              throw eventFailure;
            }
            synchronized (outcomes) {
              long ok =
                  outcomes.stream().filter(o -> o.status() == 200 && o.at().isAfter(from)).count();
              return ok >= n ? Boolean.TRUE : null;
            }
          });
    }

    LoadResult finish(WorldProducer producer) {
      close();
      if (eventFailure != null) {
        throw eventFailure;
      }
      producer.flush();
      synchronized (outcomes) {
        return new LoadResult(List.copyOf(outcomes));
      }
    }

    @Override
    public void close() {
      stopped = true;
      try {
        events.join(WAIT.toMillis());
        requests.join(WAIT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
