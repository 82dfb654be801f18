package dev.tessera.serving.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class HttpListenerTest {
  @Test
  void shouldHoldTheKernelsPortFromTheMomentItIsBound() {
    try (HttpListener listener = HttpListener.bind("127.0.0.1", 0)) {
      assertThat(listener.port()).isPositive();
      // Nobody else can bind it while the node is still starting.
      assertThatThrownBy(() -> HttpListener.bind("127.0.0.1", listener.port()))
          .isInstanceOf(ConfigException.class);
    }
  }

  @Test
  void shouldNameThePortAndSettingWhenThePortIsTaken() throws IOException {
    try (var taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      int port = taken.getLocalPort();

      assertThatThrownBy(() -> HttpListener.bind("127.0.0.1", port))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("http.port")
          .hasMessageContaining("127.0.0.1:" + port);
    }
  }

  @Test
  void shouldReleaseThePortWhenClosed() throws IOException {
    int port;
    try (HttpListener listener = HttpListener.bind("127.0.0.1", 0)) {
      port = listener.port();
    }
    try (var again = new ServerSocket()) {
      again.setReuseAddress(true);
      again.bind(new InetSocketAddress("127.0.0.1", port));
    }
  }
}
