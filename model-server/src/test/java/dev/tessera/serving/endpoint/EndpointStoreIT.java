package dev.tessera.serving.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.schemas.topic.TopicAdmin;
import dev.tessera.schemas.topic.TopicCatalog;
import dev.tessera.serving.endpoint.TrafficSplit.Route;
import dev.tessera.serving.testing.Await;
import dev.tessera.serving.testing.KafkaTestCluster;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Endpoint configs on a real broker: versions count up per endpoint, a second node converges on
 * every change, a refused config writes nothing, and a node started later reads the same state.
 */
@Timeout(120)
class EndpointStoreIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final TopicCatalog TOPICS = TopicCatalog.defaults();

  /** A registry holding churn v1 and v2 and the alias churn@champion. */
  private static final EndpointConfig.Models MODELS =
      new EndpointConfig.Models() {
        @Override
        public boolean hasVersion(String model, int version) {
          return model.equals("churn") && (version == 1 || version == 2);
        }

        @Override
        public boolean hasAlias(String model, String alias) {
          return model.equals("churn") && alias.equals("champion");
        }
      };

  private static EndpointConfig split(int champion) {
    return new EndpointConfig(
        "churn",
        List.of(
            ServedEntity.ofAlias("champion", "churn", "champion"),
            ServedEntity.ofVersion("challenger", "churn", 2)),
        List.of(new Route("champion", champion), new Route("challenger", 100 - champion)),
        null);
  }

  @Test
  void shouldVersionConfigsAndConvergeOnEveryNode() throws Exception {
    try (KafkaTestCluster kafka = KafkaTestCluster.start()) {
      var client = new Properties();
      client.put("bootstrap.servers", kafka.bootstrapServers());
      try (Admin admin = Admin.create(client)) {
        TopicAdmin.ensure(admin, List.of(TOPICS.endpoints()), WAIT);
      }
      try (EndpointStore a = EndpointStore.follow(TOPICS.endpoints(), client);
          EndpointStore b = EndpointStore.follow(TOPICS.endpoints(), client)) {
        var seenByB = new CopyOnWriteArrayList<EndpointStore.Change>();
        b.onChange(seenByB::add);
        // A config and the audit entry of its transaction are applied together: whoever sees the
        // new config version sees why it changed (listeners hear after the whole poll is applied).
        var auditedWhenSeen = new CopyOnWriteArrayList<Boolean>();
        b.onChange(
            change ->
                auditedWhenSeen.add(
                    b.audit(change.endpoint()).stream()
                        .anyMatch(
                            e ->
                                e.configVersion()
                                    == (change.current() == null
                                        ? 0
                                        : change.current().version()))));
        var writer = new EndpointWriter(a, TOPICS.endpoints(), client, Clock.systemUTC());

        assertThat(writer.put(split(90), MODELS).version()).isEqualTo(1);
        assertThat(writer.put(split(70), MODELS).version()).isEqualTo(2);
        long written = System.nanoTime();
        var refused =
            new EndpointConfig(
                "churn",
                List.of(ServedEntity.ofVersion("champion", "churn", 9)),
                List.of(new Route("champion", 100)),
                null);
        assertThatThrownBy(() -> writer.put(refused, MODELS)).hasMessageContaining("churn v9");

        Await.until(WAIT, "b sees version 2", () -> seenByB.size() == 2 ? true : null);
        // Reported, not asserted: a figure for the docs, not a timed test.
        System.out.printf(
            "Endpoint config v2 seen by the second node %.1f ms after the write returned%n",
            (System.nanoTime() - written) / 1e6);
        assertThat(b.get("churn").orElseThrow().config()).isEqualTo(split(70));
        assertThat(seenByB.get(1).previous().version()).isEqualTo(1);
        assertThat(seenByB.get(1).current().config().routes().get(0).trafficPercentage())
            .isEqualTo(70);

        writer.delete("churn");
        assertThatThrownBy(() -> writer.delete("churn"))
            .hasMessage("Endpoint churn does not exist");
        Await.until(WAIT, "b sees the deletion", () -> b.get("churn").isEmpty() ? true : null);
        assertThat(seenByB.get(2).current()).isNull();
        assertThat(auditedWhenSeen).containsExactly(true, true, true);
        assertThat(writer.put(split(50), MODELS).version()).isEqualTo(1);
      }
      try (EndpointStore later = EndpointStore.follow(TOPICS.endpoints(), client)) {
        later.awaitCaughtUp(WAIT);
        assertThat(later.all()).hasSize(1);
        assertThat(later.get("churn").orElseThrow().config()).isEqualTo(split(50));
        assertThat(later.get("churn").orElseThrow().version()).isEqualTo(1);
      }
    }
  }
}
