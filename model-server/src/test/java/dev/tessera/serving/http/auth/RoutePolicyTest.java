package dev.tessera.serving.http.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.features.query.PeerClient;
import dev.tessera.serving.http.EndpointsHandler;
import org.junit.jupiter.api.Test;

class RoutePolicyTest {
  private final RoutePolicy policy = new RoutePolicy(false);

  @Test
  void shouldLeaveHealthOpen() {
    for (String path :
        new String[] {"/health/live", "/health/ready", "/v2/health/live", "/v2/health/ready"}) {
      assertThat(policy.required(path)).as(path).isNull();
    }
  }

  @Test
  void shouldNeedInvokeForInvocationsAndLookups() {
    for (String path :
        new String[] {
          "/serving-endpoints/churn/invocations",
          "/serving-endpoints/churn/served-models/a/invocations",
          "/v2/models/churn/infer",
          "/v2/models/churn",
          "/features/customer_churn/C-1",
          "/features/lookup",
          PeerClient.PATH,
          EndpointsHandler.PEER_EXPERIMENT_PATH
        }) {
      assertThat(policy.required(path)).as(path).isEqualTo(Scope.INVOKE);
    }
  }

  @Test
  void shouldNeedAdminForManagementMetricsAndAnythingUnclassified() {
    for (String path :
        new String[] {
          "/api/2.0/mlflow/registered-models/get",
          "/api/2.0/serving-endpoints/churn",
          "/api/2.0/serving-endpoints/churn/experiment",
          "/api/2.0/feature-store/views",
          "/api/2.0/feature-store/views/customer_churn",
          "/api/2.0/feature-store/models/churn/versions/1/lineage",
          "/serving-endpoints/churn",
          "/metrics",
          "/metrics/",
          "/health",
          "/internal/other",
          "/"
        }) {
      assertThat(policy.required(path)).as(path).isEqualTo(Scope.ADMIN);
    }
  }

  @Test
  void shouldOpenMetricsWhenPublic() {
    assertThat(new RoutePolicy(true).required("/metrics")).isNull();
  }
}
