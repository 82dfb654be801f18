package dev.tessera.serving.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.serving.experiment.ClusterExperiments;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Fetches another node's raw experiment entries over HTTP ({@link
 * EndpointsHandler#PEER_EXPERIMENT_PATH}). A node that cannot answer makes the whole read
 * retryable: a report from part of the cluster would mislead.
 */
public final class ExperimentPeerClient implements ClusterExperiments.Peers {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ObjectMapper json = new ObjectMapper();
  private final String bearer;

  /**
   * @param bearer token sent to the other nodes, or null when auth is off
   */
  public ExperimentPeerClient(String bearer) {
    this.bearer = bearer;
  }

  @Override
  public List<KeyValue<String, byte[]>> entries(HostInfo host, String experiment) {
    URI uri =
        URI.create(
            "http://"
                + host.host()
                + ":"
                + host.port()
                + EndpointsHandler.PEER_EXPERIMENT_PATH
                + "?experiment_id="
                + URLEncoder.encode(experiment, StandardCharsets.UTF_8));
    var request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET();
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    try {
      HttpResponse<byte[]> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new InvalidStateStoreException(
            "Node " + host + " answered " + response.statusCode() + " for experiment figures");
      }
      var entries = new ArrayList<KeyValue<String, byte[]>>();
      for (JsonNode e : json.readTree(response.body())) {
        entries.add(
            KeyValue.pair(
                new String(Base64.getDecoder().decode(e.get("k").asText()), StandardCharsets.UTF_8),
                Base64.getDecoder().decode(e.get("v").asText())));
      }
      return entries;
    } catch (IOException e) {
      throw new InvalidStateStoreException(
          "Node " + host + " did not answer for experiment figures: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InvalidStateStoreException("Interrupted reading experiment figures of " + host);
    }
  }
}
