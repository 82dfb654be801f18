package dev.tessera.serving.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ErrorMapperTest {
  @Test
  void shouldAnswerAFencedConfigWriteWithARetryableConflictNotA500() throws Exception {
    Javalin app = Javalin.create(cfg -> cfg.showJavalinBanner = false);
    ErrorMapper.register(app);
    app.put(
        "/api/2.0/serving-endpoints/{name}",
        ctx -> {
          throw new ProducerFencedException("fenced by a newer producer");
        });
    app.start("127.0.0.1", 0);
    try {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:"
                                  + app.port()
                                  + "/api/2.0/serving-endpoints/churn"))
                      .PUT(HttpRequest.BodyPublishers.ofString("{}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(409);
      var body = new ObjectMapper().readTree(r.body());
      assertThat(body.get("error_code").asText()).isEqualTo("ABORTED");
      assertThat(body.get("message").asText()).contains("retry");
    } finally {
      app.stop();
    }
  }
}
