package dev.tessera.serving.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.serving.endpoint.TrafficSplit.Route;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EndpointConfigTest {
  private static final ServedEntity CHAMPION =
      ServedEntity.ofAlias("champion", "churn", "champion");
  private static final ServedEntity CHALLENGER = ServedEntity.ofVersion("challenger", "churn", 2);

  /** A registry with churn v1, v2 and alias champion. */
  private static final EndpointConfig.Models MODELS =
      new EndpointConfig.Models() {
        @Override
        public boolean hasVersion(String model, int version) {
          return model.equals("churn") && Set.of(1, 2).contains(version);
        }

        @Override
        public boolean hasAlias(String model, String alias) {
          return Map.of("churn", "champion").get(model) != null && alias.equals("champion");
        }
      };

  @Test
  void shouldAcceptAChampionChallengerSplitWithAShadow() {
    var config =
        new EndpointConfig(
            "churn",
            List.of(
                CHAMPION, CHALLENGER, ServedEntity.ofVersion("v1-shadow", "churn", 1).asShadow()),
            List.of(new Route("champion", 90), new Route("challenger", 10)),
            null);

    config.validate(MODELS);
    assertThat(config.salt()).isEqualTo("churn");
    assertThat(config.shadows()).extracting(ServedEntity::name).containsExactly("v1-shadow");
    assertThat(config.split().names()).containsExactly("champion", "challenger");
  }

  @Test
  void shouldRefuseEachInvalidConfigNamingTheProblem() {
    List<Route> split = List.of(new Route("champion", 90), new Route("challenger", 10));
    assertThatThrownBy(() -> new EndpointConfig("bad name", List.of(CHAMPION), split, null))
        .hasMessageStartingWith("Invalid endpoint name 'bad name'");
    assertThatThrownBy(() -> new EndpointConfig("churn", List.of(), split, null))
        .hasMessage("Endpoint churn has no served_entities");
    assertThatThrownBy(() -> new EndpointConfig("churn", List.of(CHAMPION, CHAMPION), split, null))
        .hasMessage("Endpoint churn names served entity champion twice");
    assertThatThrownBy(() -> new EndpointConfig("churn", List.of(CHAMPION), split, null))
        .hasMessageStartingWith("Route to challenger names no served entity of endpoint churn");
    assertThatThrownBy(
            () ->
                new EndpointConfig("churn", List.of(CHAMPION, CHALLENGER.asShadow()), split, null))
        .hasMessage("Route to challenger: a shadow entity takes no traffic route");
    assertThatThrownBy(() -> new ServedEntity("x", "churn", 1, "champion", false))
        .hasMessage("Served entity x needs exactly one of entity_version and alias");
    assertThatThrownBy(() -> ServedEntity.ofVersion("x", "churn", 0))
        .hasMessageContaining("entity_version must be 1 or more");
  }

  @Test
  void shouldRefuseAConfigReferringToWhatTheRegistryDoesNotHave() {
    var missingVersion =
        new EndpointConfig(
            "churn",
            List.of(CHAMPION, ServedEntity.ofVersion("challenger", "churn", 7)),
            List.of(new Route("champion", 90), new Route("challenger", 10)),
            null);
    var missingAlias =
        new EndpointConfig(
            "churn",
            List.of(ServedEntity.ofAlias("champion", "churn", "gold")),
            List.of(new Route("champion", 100)),
            null);

    assertThatThrownBy(() -> missingVersion.validate(MODELS))
        .hasMessage(
            "Served entity challenger of endpoint churn refers to churn v7, which the registry does"
                + " not have");
    assertThatThrownBy(() -> missingAlias.validate(MODELS)).hasMessageContaining("churn@gold");
  }
}
