package dev.tessera.serving.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.serving.http.ServingApiFixture.Reply;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** Bearer tokens over real HTTP: which scope each route needs and the 401/403 answers. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class BearerAuthApiTest {
  private static final String INVOKE = "inv-0123456789";
  private static final String ADMIN = "adm-0123456789";
  private static final String INVOCATIONS = "/serving-endpoints/churn/invocations";
  private static final String BODY = "{\"dataframe_records\":[{\"customer_id\":\"C-1\"}]}";
  private ServingApiFixture api;

  @BeforeAll
  void start() {
    api =
        new ServingApiFixture(
            3, 2048, Map.of("auth.tokens", INVOKE + ":invoke," + ADMIN + ":admin"));
  }

  @AfterAll
  void stop() {
    api.close();
  }

  @Test
  void shouldRefuseARequestWithoutAToken() {
    Reply r = api.post(INVOCATIONS, BODY);
    assertThat(r.status()).as(r.body()).isEqualTo(401);
    assertThat(r.header("WWW-Authenticate")).contains("Bearer");
    assertThat(r.json().get("error_code").asText()).isEqualTo("UNAUTHENTICATED");
    assertThat(r.json().get("message").asText()).contains("Authorization: Bearer");
  }

  @Test
  void shouldRefuseAnUnknownTokenWithoutEchoingIt() {
    Reply r = api.post(INVOCATIONS, BODY, "guessed-token-42");
    assertThat(r.status()).as(r.body()).isEqualTo(401);
    assertThat(r.header("WWW-Authenticate")).contains("Bearer");
    assertThat(r.json().get("error_code").asText()).isEqualTo("UNAUTHENTICATED");
    assertThat(r.body()).doesNotContain("guessed-token-42");
  }

  @Test
  void shouldRefuseAnInvokeTokenOnAdminRoutes() {
    for (String path : new String[] {"/metrics", "/api/2.0/mlflow/registered-models/search"}) {
      Reply r = api.get(path, INVOKE);
      assertThat(r.status()).as(path + " " + r.body()).isEqualTo(403);
      assertThat(r.json().get("error_code").asText()).isEqualTo("PERMISSION_DENIED");
      assertThat(r.body()).doesNotContain(INVOKE);
    }
  }

  @Test
  void shouldLetAnInvokeTokenInvoke() {
    Reply r = api.post(INVOCATIONS, BODY, INVOKE);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
  }

  @Test
  void shouldLetAnAdminTokenInvokeAndReadMetrics() {
    assertThat(api.post(INVOCATIONS, BODY, ADMIN).status()).isEqualTo(200);
    Reply metrics = api.get("/metrics", ADMIN);
    assertThat(metrics.status()).as(metrics.body()).isEqualTo(200);
    assertThat(metrics.body()).contains("tessera_request_duration_seconds");
  }

  @Test
  void shouldAnswerOipRoutesInTheirOwnErrorShape() {
    Reply r = api.post("/v2/models/churn/infer", "{}");
    assertThat(r.status()).as(r.body()).isEqualTo(401);
    assertThat(r.json().has("error")).isTrue();
  }

  @Test
  void shouldLeaveHealthOpen() {
    assertThat(api.get("/health/live").status()).isEqualTo(200);
    assertThat(api.get("/health/ready").status()).isEqualTo(200);
    assertThat(api.get("/v2/health/live").status()).isEqualTo(200);
  }
}
