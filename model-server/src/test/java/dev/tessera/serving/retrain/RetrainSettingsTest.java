package dev.tessera.serving.retrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.serving.config.RetrainConfig;
import dev.tessera.serving.endpoint.EndpointConfig;
import dev.tessera.serving.endpoint.Guardrails;
import dev.tessera.serving.endpoint.ServedEntity;
import dev.tessera.serving.endpoint.TrafficSplit.Route;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class RetrainSettingsTest {
  @Test
  void shouldReadTheScheduleAsAPeriod() {
    assertThat(new RetrainConfig(Map.of()).interval()).isZero();
    assertThat(new RetrainConfig(Map.of("retrain.schedule", "weekly")).interval())
        .isEqualTo(Duration.ofDays(7));
    assertThat(new RetrainConfig(Map.of("retrain.schedule", "Daily")).interval())
        .isEqualTo(Duration.ofDays(1));
    assertThat(new RetrainConfig(Map.of("retrain.schedule", "PT30s")).interval())
        .isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void shouldRefuseAScheduleItCannotRead() {
    assertThatThrownBy(() -> new RetrainConfig(Map.of("retrain.schedule", "fortnightly")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("retrain.schedule")
        .hasMessageContaining("fortnightly");
    assertThatThrownBy(() -> new RetrainConfig(Map.of("retrain.schedule", "PT0S")))
        .isInstanceOf(ConfigException.class);
  }

  @Test
  void shouldNameOneClaimPerEndpointAndPeriod() {
    Duration week = Duration.ofDays(7);
    long monday = week.toMillis() * 2921;
    assertThat(RetrainScheduler.claimOf("churn", week, monday)).isEqualTo("churn/PT168H/2921");
    assertThat(RetrainScheduler.claimOf("churn", week, monday + week.toMillis() - 1))
        .isEqualTo("churn/PT168H/2921");
    assertThat(RetrainScheduler.claimOf("churn", week, monday + week.toMillis()))
        .isEqualTo("churn/PT168H/2922");
  }

  @Test
  void shouldAddTheCandidateAsChallengerKeepingChampionShadowsAndGuardrails() {
    var guardrails = Guardrails.defaults().withMinPredictions(100);
    var config =
        new EndpointConfig(
            "churn",
            List.of(
                ServedEntity.ofAlias("champion", "churn", "champion"),
                ServedEntity.ofVersion("old", "churn", 2),
                ServedEntity.ofVersion("probe", "churn", 1).asShadow()),
            List.of(new Route("champion", 80), new Route("old", 20)),
            "salt",
            guardrails);
    EndpointConfig next = ChallengerRollout.withChallenger(config, "churn", 10);
    assertThat(next.entities())
        .extracting(ServedEntity::name)
        .containsExactly("champion", "probe", "challenger");
    assertThat(next.entity("challenger").orElseThrow().alias()).isEqualTo("challenger");
    assertThat(next.routes())
        .containsExactly(new Route("champion", 90), new Route("challenger", 10));
    assertThat(next.salt()).isEqualTo("salt");
    assertThat(next.guardrails()).isEqualTo(guardrails);

    EndpointConfig retired = ChallengerRollout.withoutChallenger(next);
    assertThat(retired.entities())
        .extracting(ServedEntity::name)
        .containsExactly("champion", "probe");
    assertThat(retired.routes()).containsExactly(new Route("champion", 100));
  }
}
