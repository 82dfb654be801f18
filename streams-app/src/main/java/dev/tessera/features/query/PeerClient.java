package dev.tessera.features.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Forwards lookups to the node that holds the keys, over its HTTP API ({@value #PATH}); the other
 * node answers from its own stores only and never forwards again. When the nodes require bearer
 * tokens, give the client the token to send:
 *
 * <pre>{@code
 * var peers = new PeerClient(Duration.ofSeconds(1), "s3cret-peer-token");
 * }</pre>
 */
public final class PeerClient {
  /** Route of forwarded lookups on every node. */
  public static final String PATH = "/internal/features/lookup";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final Duration timeout;
  private final String authorization;

  /** A client that sends no credentials (the nodes do not require tokens). */
  public PeerClient(Duration timeout) {
    this(timeout, null);
  }

  /**
   * A client that sends {@code Authorization: Bearer <bearerToken>} with every forwarded lookup; a
   * null or empty token sends none.
   */
  public PeerClient(Duration timeout, String bearerToken) {
    this.timeout = timeout;
    this.authorization =
        bearerToken == null || bearerToken.isEmpty() ? null : "Bearer " + bearerToken;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** The request body of a forwarded lookup. */
  public static Map<String, Object> body(String view, List<LookupRow> rows, long asOf) {
    var list = new ArrayList<Map<String, Object>>();
    for (LookupRow row : rows) {
      list.add(Map.of("key", row.key(), "request", row.request()));
    }
    var body = new LinkedHashMap<String, Object>();
    body.put("view", view);
    body.put("as_of", asOf);
    body.put("rows", list);
    return body;
  }

  /**
   * The vectors of {@code rows} as {@code host} reads them locally; throws {@link
   * PeerUnavailableException} when it cannot answer (down, not the owner any more, restoring).
   */
  public List<FeatureVector> lookup(HostInfo host, String view, List<LookupRow> rows, long asOf) {
    URI uri = URI.create("http://" + host.host() + ":" + host.port() + PATH);
    try {
      HttpRequest.Builder builder =
          HttpRequest.newBuilder(uri)
              .timeout(timeout)
              .header("Content-Type", "application/json")
              .POST(
                  HttpRequest.BodyPublishers.ofByteArray(
                      JSON.writeValueAsBytes(body(view, rows, asOf))));
      if (authorization != null) {
        builder.header("Authorization", authorization);
      }
      HttpRequest request = builder.build();
      HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new PeerUnavailableException(
            host
                + " answered "
                + response.statusCode()
                + ": "
                + new String(response.body(), StandardCharsets.UTF_8));
      }
      JsonNode vectors = JSON.readTree(response.body()).get("vectors");
      var result = new ArrayList<FeatureVector>();
      for (JsonNode v : vectors) {
        result.add(FeatureVectorJson.fromJson(v));
      }
      if (result.size() != rows.size()) {
        throw new PeerUnavailableException(
            host + " returned " + result.size() + " vectors for " + rows.size() + " keys");
      }
      return result;
    } catch (IOException | IllegalArgumentException e) {
      throw new PeerUnavailableException(host + " is unreachable: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PeerUnavailableException("Interrupted while forwarding to " + host, e);
    }
  }

  /** A node could not answer a forwarded lookup. */
  public static final class PeerUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PeerUnavailableException(String message) {
      super(message);
    }

    PeerUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
