package dev.tessera.serving.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import org.apache.kafka.common.config.ConfigException;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The HTTP API's listening socket, bound before anything else of a node starts and handed to Jetty
 * when the API starts.
 *
 * <p>A node has to name its HTTP address ({@code application.server}) to Kafka Streams long before
 * its routes exist. Binding first means that address is already held: port 0 is the kernel's
 * choice, known at once and never raced for, instead of a port found free, released and bound again
 * seconds later (by when an outgoing connection may have taken it).
 *
 * <pre>{@code
 * try (HttpListener listener = HttpListener.bind("127.0.0.1", 0)) {
 *   int port = listener.port(); // bound now; HttpApi.start(listener, ...) serves on it
 * }
 * }</pre>
 */
public final class HttpListener implements AutoCloseable {
  private final ServerSocketChannel channel;
  private final String host;

  private HttpListener(ServerSocketChannel channel, String host) {
    this.channel = channel;
    this.host = host;
  }

  /**
   * Binds {@code host:port} ({@code 0}: a port the kernel chooses).
   *
   * @throws ConfigException if the port is taken, naming it and the setting
   */
  public static HttpListener bind(String host, int port) {
    ServerSocketChannel channel = null;
    try {
      channel = ServerSocketChannel.open();
      // Like Jetty's own connector: a restarted node gets its port back despite TIME_WAIT.
      channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      channel.bind(new InetSocketAddress(host, port));
      return new HttpListener(channel, host);
    } catch (BindException e) {
      closeQuietly(channel);
      throw new ConfigException(
          "http.port",
          port,
          "cannot listen on "
              + host
              + ":"
              + port
              + " ("
              + e.getMessage()
              + "); is another"
              + " process using it? Pick another http.port, or 0 for a free one");
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UncheckedIOException("Could not listen on " + host + ":" + port, e);
    }
  }

  /** The port bound (the kernel's choice when bound with 0). */
  public int port() {
    return channel.socket().getLocalPort();
  }

  /** A Jetty connector accepting on this socket; Jetty owns and closes it from then on. */
  Connector connector(Server server, HttpConfiguration configuration) {
    var connector = new ServerConnector(server, new HttpConnectionFactory(configuration));
    connector.setHost(host);
    try {
      connector.open(channel);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not hand " + host + ":" + port() + " to Jetty", e);
    }
    return connector;
  }

  /** Releases the socket (stopping the API releases it too; closing twice is harmless). */
  @Override
  public void close() {
    closeQuietly(channel);
  }

  private static void closeQuietly(ServerSocketChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // nothing bound is left either way
      }
    }
  }
}
