package dev.tessera.serving.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListenPortsTest {
  @TempDir Path dir;

  @Test
  void shouldReadTheKernelsEphemeralRange() throws IOException {
    Path file = Files.writeString(dir.resolve("range"), "40000\t50000\n");

    assertThat(ListenPorts.ephemeral(file)).isEqualTo(new ListenPorts.Range(40000, 50000));
  }

  @Test
  void shouldAssumeLinuxDefaultsWhenTheRangeCannotBeRead() throws IOException {
    Path garbled = Files.writeString(dir.resolve("garbled"), "not a range");

    assertThat(ListenPorts.ephemeral(dir.resolve("missing"))).isEqualTo(ListenPorts.LINUX_DEFAULT);
    assertThat(ListenPorts.ephemeral(garbled)).isEqualTo(ListenPorts.LINUX_DEFAULT);
  }

  @Test
  void shouldPickBelowTheEphemeralRangeWhereThereIsRoom() {
    assertThat(ListenPorts.candidates(new ListenPorts.Range(32768, 60999)))
        .isEqualTo(new ListenPorts.Range(ListenPorts.LOWEST, 32767));
  }

  @Test
  void shouldPickAboveTheEphemeralRangeWhenItStartsLow() {
    assertThat(ListenPorts.candidates(new ListenPorts.Range(1024, 40000)))
        .isEqualTo(new ListenPorts.Range(40001, 65535));
  }

  @Test
  void shouldRefuseARangeThatLeavesNoRoom() {
    assertThatThrownBy(() -> ListenPorts.candidates(new ListenPorts.Range(1024, 65535)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("1024-65535")
        .hasMessageContaining("ip_local_port_range");
  }

  @Test
  void shouldPickDistinctFreePortsOutsideTheEphemeralRange() throws IOException {
    ListenPorts.Range ephemeral = ListenPorts.ephemeral();

    int[] ports = ListenPorts.pick("127.0.0.1", 20);

    assertThat(Arrays.stream(ports).distinct().count()).isEqualTo(20);
    for (int port : ports) {
      assertThat(ephemeral.contains(port)).as("port %d in %s", port, ephemeral).isFalse();
      try (var socket = new ServerSocket()) {
        socket.bind(new InetSocketAddress("127.0.0.1", port));
      }
    }
  }

  @Test
  void shouldSkipAPortThatIsTaken() throws IOException {
    try (var taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      int port = taken.getLocalPort();
      var only = new ListenPorts.Range(port, port + 1);
      // Ports port and port + 1: the taken one is never returned.
      int[] picked = ListenPorts.pick("127.0.0.1", 1, only, new SplittableRandom(7));

      assertThat(picked).containsExactly(port + 1);
      assertThatThrownBy(
              () ->
                  ListenPorts.pick(
                      "127.0.0.1", 1, new ListenPorts.Range(port, port), new SplittableRandom(7)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("Found 0 of 1 free ports");
    }
  }

  @Test
  void shouldRecogniseABindFailureAmongTheCauses() {
    var wrapped =
        new KafkaException(
            "Socket server failed to bind", new UncheckedIOException(new BindException("busy")));
    var byMessage = new IllegalStateException("bind 127.0.0.1:9 failed: Address already in use");

    assertThat(ListenPorts.isBindFailure(wrapped)).isTrue();
    assertThat(ListenPorts.isBindFailure(byMessage)).isTrue();
    assertThat(ListenPorts.isBindFailure(new IllegalStateException("disk full"))).isFalse();
  }
}
