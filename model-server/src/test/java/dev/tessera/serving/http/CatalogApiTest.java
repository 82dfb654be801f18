package dev.tessera.serving.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tessera.serving.catalog.CatalogFixtures;
import dev.tessera.serving.catalog.FeatureCatalog;
import dev.tessera.serving.http.ServingApiFixture.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The catalog routes over real HTTP, from the fixed definitions and registry of CatalogFixtures.
 */
class CatalogApiTest {
  private static final String VIEWS = "/api/2.0/feature-store/views";
  private static final String ADMIN = "admin-token-0123456789";
  private static final String INVOKE = "invoke-token-0123456789";

  /** Where churn's champion alias points, as a promotion would move it. */
  private final AtomicInteger champion = new AtomicInteger(1);

  private ServingApiFixture api;

  @BeforeEach
  void start() {
    api =
        new ServingApiFixture(
            3,
            2048,
            Map.of("auth.tokens", INVOKE + ":invoke," + ADMIN + ":admin"),
            new CatalogHandler(
                new FeatureCatalog(CatalogFixtures.DEFINITIONS, CatalogFixtures::figures),
                () -> CatalogFixtures.serving(champion.get(), champion.get() == 1 ? 90 : 100)));
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private Reply get(String path) {
    return api.get(path, ADMIN);
  }

  private static List<String> names(JsonNode views) {
    var names = new ArrayList<String>();
    views.forEach(v -> names.add(v.get("name").asText()));
    return names;
  }

  private static void assertError(Reply reply, int status, String code, String... parts) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    assertThat(reply.json().get("error_code").asText()).isEqualTo(code);
    assertThat(reply.json().get("message").asText()).contains(parts);
  }

  @Test
  void shouldListViewsWithTheirDefinitionAndLiveFiguresAsSnakeCaseJson() {
    Reply reply = get(VIEWS);

    assertThat(reply.status()).isEqualTo(200);
    JsonNode views = reply.json().get("views");
    assertThat(names(views))
        .containsExactly(
            "customer_churn",
            "customer_risk",
            "region_orders",
            "user_fraud",
            "country_transactions",
            "user_merchant_transactions");
    JsonNode churn = views.get(0);
    assertThat(churn.get("owner").asText()).isEqualTo("growth-ml");
    assertThat(churn.get("start").asText()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(churn.at("/sources/1/topic").asText()).isEqualTo("clicks");
    assertThat(churn.at("/features/1/name").asText()).isEqualTo("total_orders");
    assertThat(churn.at("/features/1/aggregation").asText()).isEqualTo("count");
    assertThat(churn.at("/features/1/default").asDouble()).isZero();
    assertThat(churn.at("/features/1").has("services")).isFalse();
    assertThat(churn.at("/live/scope").asText()).isEqualTo("node");
    assertThat(churn.at("/live/keys_held").asLong()).isEqualTo("customer_churn".length());
    assertThat(churn.at("/live/freshness_seconds").asDouble()).isEqualTo(0.25);
    assertThat(churn.at("/live/dead_letters/orders").asLong()).isEqualTo(3);
  }

  @Test
  void shouldSearchByTextAndTag() {
    assertThat(names(get(VIEWS + "?q=churn").json().get("views")))
        .containsExactly("customer_churn");
    assertThat(names(get(VIEWS + "?tag=risk").json().get("views")))
        .containsExactly("customer_risk", "region_orders");
    assertThat(names(get(VIEWS + "?q=Order%20time&tag=risk").json().get("views")))
        .containsExactly("customer_risk");
    assertThat(get(VIEWS + "?tag=pii").json().get("views")).isEmpty();
  }

  @Test
  void shouldRefuseABadTagOrUnknownOrRepeatedParameters() {
    assertError(get(VIEWS + "?tag=PII"), 400, "INVALID_PARAMETER_VALUE", "Invalid tag 'PII'");
    assertError(
        get(VIEWS + "?tags=pii"), 400, "INVALID_PARAMETER_VALUE", "Unknown query parameter 'tags'");
    assertError(
        get(VIEWS + "?tag=risk&tag=orders"), 400, "INVALID_PARAMETER_VALUE", "tag at most once");
  }

  @Test
  void shouldDescribeAViewWithTheLineageOfEachFeature() {
    JsonNode churn = get(VIEWS + "/customer_churn").json();

    JsonNode total = churn.at("/features/1");
    assertThat(total.get("services").toString()).isEqualTo("[\"churn_v1\",\"churn_v2\"]");
    assertThat(total.at("/model_versions/0/model").asText()).isEqualTo("churn");
    assertThat(total.at("/model_versions/0/version").asInt()).isEqualTo(1);
    assertThat(total.at("/model_versions/0/aliases/0").asText()).isEqualTo("champion");
    assertThat(total.at("/model_versions/0/endpoints/0/endpoint").asText()).isEqualTo("churn");
    assertThat(total.at("/model_versions/0/endpoints/0/served_entity").asText())
        .isEqualTo("champion");
    assertThat(total.at("/model_versions/0/endpoints/0/traffic_percentage").asInt()).isEqualTo(90);

    champion.set(2);
    JsonNode promoted = get(VIEWS + "/customer_churn").json().at("/features/1/model_versions");
    assertThat(promoted.at("/0/endpoints")).isEmpty();
    assertThat(promoted.at("/1/endpoints/0/served_entity").asText()).isEqualTo("champion");
    assertThat(promoted.at("/1/endpoints/0/traffic_percentage").asInt()).isEqualTo(100);
  }

  @Test
  void shouldAnswerAnUnknownViewWith404NamingTheKnownOnes() {
    assertError(
        get(VIEWS + "/customer_fraud"),
        404,
        "RESOURCE_DOES_NOT_EXIST",
        "Unknown feature view 'customer_fraud'",
        "known views: customer_churn, customer_risk, region_orders, user_fraud,"
            + " country_transactions, user_merchant_transactions");
  }

  @Test
  void shouldGiveAVersionsLineageWithItsSkewWarning() {
    JsonNode v1 = get("/api/2.0/feature-store/models/churn/versions/1/lineage").json();
    assertThat(v1.get("skew_warning").isNull()).isTrue();
    assertThat(v1.get("definitions_hash").asText())
        .isEqualTo(v1.get("live_definitions_hash").asText());
    assertThat(v1.at("/features/1").asText()).isEqualTo("customer_churn.orders_30d");

    JsonNode v2 = get("/api/2.0/feature-store/models/churn/versions/2/lineage").json();
    assertThat(v2.get("skew_warning").asText()).contains("training/serving skew");
    JsonNode risk = get("/api/2.0/feature-store/models/risk/versions/1/lineage").json();
    assertThat(risk.get("definitions_hash").isNull()).isTrue();
    assertThat(risk.get("skew_warning").asText()).startsWith("Unknown:");
  }

  @Test
  void shouldRefuseABadVersionAndAnswerAnUnknownOneWith404() {
    String prefix = "/api/2.0/feature-store/models/";
    assertError(
        get(prefix + "churn/versions/two/lineage"),
        400,
        "INVALID_PARAMETER_VALUE",
        "whole number from 1, got 'two'");
    assertError(
        get(prefix + "churn/versions/0/lineage"), 400, "INVALID_PARAMETER_VALUE", "got '0'");
    assertError(
        get(prefix + "churn/versions/7/lineage"),
        404,
        "RESOURCE_DOES_NOT_EXIST",
        "Model churn has no version 7; its versions: [1, 2]");
    assertError(
        get(prefix + "fraud/versions/1/lineage"),
        404,
        "RESOURCE_DOES_NOT_EXIST",
        "Unknown model fraud");
  }

  @Test
  void shouldNeedTheAdminScopeLikeTheOtherManagementReads() {
    assertThat(api.get(VIEWS, INVOKE).status()).isEqualTo(403);
    assertThat(api.get(VIEWS).status()).isEqualTo(401);
    assertThat(api.get(VIEWS, ADMIN).status()).isEqualTo(200);
  }
}
