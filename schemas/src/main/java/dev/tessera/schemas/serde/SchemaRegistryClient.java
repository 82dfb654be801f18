package dev.tessera.schemas.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * Fetches writer schemas by id from a schema registry's REST API ({@code GET
 * <url>/schemas/ids/<id>}, as Confluent's Schema Registry and compatible registries serve it), for
 * records in Confluent's wire format. Each id is asked once: a schema id never changes its schema,
 * so the answer is cached for good.
 *
 * <pre>{@code
 * var registry = new SchemaRegistryClient(URI.create("http://registry:8081"), "user:secret",
 *     Duration.ofSeconds(10));
 * Schema writer = registry.schema(42);
 * }</pre>
 *
 * <p>An id the registry does not have, or a schema that is not Avro, is the record's fault ({@link
 * InvalidEventException}); a registry that cannot be reached is not ({@link
 * SchemaRegistryUnavailableException}).
 */
public final class SchemaRegistryClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI baseUrl;
  private final String authorization;
  private final Duration timeout;
  private final HttpClient http;
  private final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();

  /**
   * @param baseUrl the registry, e.g. {@code http://registry:8081}
   * @param userInfo {@code user:password} for HTTP basic auth, or null or blank for none
   * @param timeout for connecting and for each answer
   */
  public SchemaRegistryClient(URI baseUrl, String userInfo, Duration timeout) {
    String url = baseUrl.toString();
    this.baseUrl = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    this.authorization =
        userInfo == null || userInfo.isBlank()
            ? null
            : "Basic "
                + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** The registry's URL, for messages. */
  public URI url() {
    return baseUrl;
  }

  /**
   * The Avro schema registered under {@code id}.
   *
   * @throws InvalidEventException if the registry has no such id or the schema is not Avro
   * @throws SchemaRegistryUnavailableException if the registry cannot be asked
   */
  public Schema schema(int id) {
    Schema cached = schemas.get(id);
    if (cached != null) {
      return cached;
    }
    Schema fetched = fetch(id);
    schemas.putIfAbsent(id, fetched);
    return fetched;
  }

  private Schema fetch(int id) {
    URI uri = URI.create(baseUrl + "/schemas/ids/" + id);
    var request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Accept", "application/vnd.schemaregistry.v1+json, application/json");
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new SchemaRegistryUnavailableException(
          "Cannot reach the schema registry at " + baseUrl + " for schema id " + id + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryUnavailableException(
          "Interrupted while asking the schema registry at " + baseUrl + " for schema id " + id, e);
    }
    if (response.statusCode() == 404) {
      throw new InvalidEventException(
          "confluent: schema id " + id + " is not in the schema registry at " + baseUrl);
    }
    if (response.statusCode() != 200) {
      throw new SchemaRegistryUnavailableException(
          "The schema registry at "
              + baseUrl
              + " answered "
              + response.statusCode()
              + " for schema id "
              + id
              + (response.statusCode() == 401 || response.statusCode() == 403
                  ? " (check schema.registry.basic.auth.user.info)"
                  : ""),
          null);
    }
    try {
      JsonNode body = JSON.readTree(response.body());
      String type = body.path("schemaType").asText("AVRO");
      if (!type.equals("AVRO")) {
        throw new InvalidEventException(
            "confluent: schema id " + id + " is a " + type + " schema; Tessera reads Avro");
      }
      return new Schema.Parser().parse(body.path("schema").asText());
    } catch (IOException | SchemaParseException e) {
      throw new SchemaRegistryUnavailableException(
          "The schema registry at "
              + baseUrl
              + " answered schema id "
              + id
              + " with something that is not an Avro schema: "
              + e.getMessage(),
          e);
    }
  }
}
