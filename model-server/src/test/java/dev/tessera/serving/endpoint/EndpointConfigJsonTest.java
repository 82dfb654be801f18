package dev.tessera.serving.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.serving.endpoint.TrafficSplit.Route;
import org.junit.jupiter.api.Test;

class EndpointConfigJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text.replace('\'', '"'));
  }

  @Test
  void shouldReadTheDatabricksShapeAndWriteItBack() throws Exception {
    EndpointConfig config =
        EndpointConfigJson.parse(
            "churn",
            json(
                "{'served_entities':["
                    + "{'name':'champion','entity_name':'churn','alias':'champion'},"
                    + "{'name':'challenger','entity_name':'churn','entity_version':'2'},"
                    + "{'name':'old','entity_name':'churn','entity_version':1,'shadow':true}],"
                    + "'traffic_config':{'routes':["
                    + "{'served_model_name':'champion','traffic_percentage':90},"
                    + "{'served_entity_name':'challenger','traffic_percentage':10}]}}"));

    assertThat(config.entities())
        .containsExactly(
            ServedEntity.ofAlias("champion", "churn", "champion"),
            ServedEntity.ofVersion("challenger", "churn", 2),
            ServedEntity.ofVersion("old", "churn", 1).asShadow());
    assertThat(config.routes())
        .containsExactly(new Route("champion", 90), new Route("challenger", 10));
    assertThat(EndpointConfigJson.parse("churn", EndpointConfigJson.toJson(config)))
        .isEqualTo(config);
  }

  @Test
  void shouldRouteAllTrafficToASingleEntityWithoutTrafficConfig() throws Exception {
    EndpointConfig config =
        EndpointConfigJson.parse(
            "churn",
            json("{'served_entities':[{'name':'a','entity_name':'churn','entity_version':'3'}]}"));

    assertThat(config.routes()).containsExactly(new Route("a", 100));
  }

  @Test
  void shouldNameTheBadFieldOfEachInvalidBody() {
    assertThatThrownBy(() -> EndpointConfigJson.parse("churn", json("[]")))
        .hasMessage("config must be a JSON object");
    assertThatThrownBy(() -> EndpointConfigJson.parse("churn", json("{'served_entities':{}}")))
        .hasMessage("served_entities must be a list");
    assertThatThrownBy(
            () -> EndpointConfigJson.parse("churn", json("{'served_entities':[],'x':1}")))
        .hasMessageStartingWith("config has unknown field x");
    assertThatThrownBy(
            () ->
                EndpointConfigJson.parse(
                    "churn", json("{'served_entities':[{'name':'a','entity_version':'1'}]}")))
        .hasMessage("served_entities[0] needs entity_name");
    assertThatThrownBy(
            () ->
                EndpointConfigJson.parse(
                    "churn",
                    json(
                        "{'served_entities':[{'name':'a','entity_name':'m','entity_version':'v1'}]}")))
        .hasMessageStartingWith("served_entities[0].entity_version must be a version number");
    assertThatThrownBy(
            () ->
                EndpointConfigJson.parse(
                    "churn",
                    json(
                        "{'served_entities':[{'name':'a','entity_name':'m','entity_version':'1'},"
                            + "{'name':'b','entity_name':'m','entity_version':'2'}]}")))
        .hasMessage("traffic_config is required when more than one served entity takes traffic");
    assertThatThrownBy(
            () ->
                EndpointConfigJson.parse(
                    "churn",
                    json(
                        "{'served_entities':[{'name':'a','entity_name':'m','entity_version':'1'}],"
                            + "'traffic_config':{'routes':[{'served_model_name':'a','traffic_percentage':99.5}]}}")))
        .hasMessage("traffic_config.routes[0].traffic_percentage must be a whole number");
  }
}
