package dev.tessera.features.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PeerClientTest {
  private final ConcurrentLinkedQueue<String> authorizations = new ConcurrentLinkedQueue<>();
  private HttpServer server;
  private HostInfo host;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        PeerClient.PATH,
        exchange -> {
          String auth = exchange.getRequestHeaders().getFirst("Authorization");
          authorizations.add(auth == null ? "<none>" : auth);
          byte[] body = "{\"vectors\":[]}".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    host = new HostInfo("127.0.0.1", server.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void shouldSendTheBearerTokenWhenGivenOne() {
    new PeerClient(Duration.ofSeconds(5), "peer-token").lookup(host, "v", List.of(), 0);
    assertThat(authorizations).containsExactly("Bearer peer-token");
  }

  @Test
  void shouldSendNoCredentialsWithoutAToken() {
    new PeerClient(Duration.ofSeconds(5)).lookup(host, "v", List.of(), 0);
    new PeerClient(Duration.ofSeconds(5), "").lookup(host, "v", List.of(), 0);
    assertThat(authorizations).containsExactly("<none>", "<none>");
  }
}
