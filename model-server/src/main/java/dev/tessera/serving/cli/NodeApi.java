package dev.tessera.serving.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A small client of a node's HTTP API for the CLI: a non-2xx answer becomes an exception carrying
 * the API's own message, which the CLI prints as one line.
 */
final class NodeApi {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ApiOptions options;

  NodeApi(ApiOptions options) {
    this.options = options;
  }

  /** The body of a successful call; {@code body} null sends none. */
  String call(String method, String path, String body) {
    return call(method, path, body, Duration.ofSeconds(60));
  }

  /** As above, waiting up to {@code timeout} for the answer (a retraining cycle takes minutes). */
  String call(String method, String path, String body, Duration timeout) {
    var request =
        HttpRequest.newBuilder(URI.create(options.url + path))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (options.token != null && !options.token.isBlank()) {
      request.header("Authorization", "Bearer " + options.token);
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw new IllegalStateException(
          "No Tessera node answers at "
              + options.url
              + " (start one with 'tessera demo' or"
              + " 'tessera serve', or pass --url)");
    } catch (IOException e) {
      throw new IllegalStateException(options.url + path + " failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted", e);
    }
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException(
          method
              + " "
              + path
              + " answered "
              + response.statusCode()
              + ": "
              + message(response.body()));
    }
    return response.body();
  }

  private static String message(String body) {
    try {
      JsonNode node = JSON.readTree(body);
      JsonNode message = node.has("message") ? node.get("message") : node.get("error");
      return message == null ? body : message.asText();
    } catch (IOException e) {
      return body;
    }
  }
}
