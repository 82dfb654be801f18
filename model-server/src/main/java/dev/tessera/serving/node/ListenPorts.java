package dev.tessera.serving.node;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Ports for a server that must know its port before it binds (a Kafka controller in a static
 * quorum, a broker or node in a test cluster), chosen where no outgoing connection can take them.
 *
 * <p>The kernel gives every outgoing connection (this machine's Kafka clients among them) a local
 * port from its ephemeral range, {@code /proc/sys/net/ipv4/ip_local_port_range} (32768–60999 on
 * Linux by default). A port that is free when checked but lies in that range can be taken by such a
 * connection before the server binds it ("Address already in use"). Ports are therefore picked
 * below the ephemeral range (or above it where the room below is too small), checked free, and a
 * caller whose bind still fails (another picker chose the same port) picks again: see {@link
 * #isBindFailure}. A server that can bind port 0 itself and report the port it got needs none of
 * this.
 *
 * <pre>{@code
 * int[] ports = ListenPorts.pick("127.0.0.1", 2); // e.g. 18311 and 27104 on a default Linux
 * }</pre>
 */
public final class ListenPorts {
  /** Where Linux keeps its ephemeral range ("low\thigh"). */
  static final Path EPHEMERAL_RANGE_FILE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

  /** Linux's default, assumed where the range cannot be read. */
  static final Range LINUX_DEFAULT = new Range(32768, 60999);

  /** Below this are the well-known and commonly configured ports (8080, 9092, ...). */
  static final int LOWEST = 10_000;

  /** How a failed bind reads, in an exception's message or a server's log. */
  public static final String ADDRESS_IN_USE = "Address already in use";

  private static final int MIN_ROOM = 1_000;
  private static final int ATTEMPTS = 500;

  private ListenPorts() {}

  /** An inclusive port range. */
  public record Range(int low, int high) {
    public boolean contains(int port) {
      return port >= low && port <= high;
    }

    int size() {
      return Math.max(0, high - low + 1);
    }
  }

  /** The kernel's ephemeral range, or Linux's default where it cannot be read. */
  public static Range ephemeral() {
    return ephemeral(EPHEMERAL_RANGE_FILE);
  }

  static Range ephemeral(Path file) {
    try {
      String[] parts = Files.readString(file, StandardCharsets.US_ASCII).trim().split("\\s+");
      if (parts.length == 2) {
        int low = Integer.parseInt(parts[0]);
        int high = Integer.parseInt(parts[1]);
        if (low > 0 && low <= high && high <= 65535) {
          return new Range(low, high);
        }
      }
      return LINUX_DEFAULT;
    } catch (IOException | NumberFormatException e) {
      return LINUX_DEFAULT;
    }
  }

  /** Where ports are picked: the larger room outside {@code ephemeral}, from {@link #LOWEST}. */
  static Range candidates(Range ephemeral) {
    var below = new Range(LOWEST, ephemeral.low() - 1);
    var above = new Range(Math.max(LOWEST, ephemeral.high() + 1), 65535);
    Range larger = below.size() >= above.size() ? below : above;
    if (larger.size() < MIN_ROOM) {
      throw new IllegalStateException(
          "No room for listening ports outside the ephemeral range "
              + ephemeral.low()
              + "-"
              + ephemeral.high()
              + " (see "
              + EPHEMERAL_RANGE_FILE
              + "); narrow it, e.g. to 32768-60999");
    }
    return larger;
  }

  /** {@code count} distinct ports, free on {@code host} now, outside the ephemeral range. */
  public static int[] pick(String host, int count) {
    return pick(host, count, candidates(ephemeral()), ThreadLocalRandom.current());
  }

  static int[] pick(String host, int count, Range from, RandomGenerator random) {
    int[] ports = new int[count];
    int found = 0;
    for (int attempt = 0; attempt < ATTEMPTS && found < count; attempt++) {
      int port = from.low() + random.nextInt(from.size());
      if (!contains(ports, found, port) && isFree(host, port)) {
        ports[found++] = port;
      }
    }
    if (found < count) {
      throw new IllegalStateException(
          "Found " + found + " of " + count + " free ports on " + host + " in " + from);
    }
    return ports;
  }

  /**
   * True when {@code e} or one of its causes says the address was already in use, the one bind
   * failure that picking another port cures.
   */
  public static boolean isBindFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException
          || t.getMessage() != null && t.getMessage().contains(ADDRESS_IN_USE)) {
        return true;
      }
    }
    return false;
  }

  private static boolean contains(int[] ports, int n, int port) {
    for (int i = 0; i < n; i++) {
      if (ports[i] == port) {
        return true;
      }
    }
    return false;
  }

  private static boolean isFree(String host, int port) {
    try (var socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(host, port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
