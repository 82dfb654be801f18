package dev.tessera.serving.testing;

import dev.tessera.serving.node.ListenPorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Tessera node ({@code tessera serve}) in its own JVM on a fixed loopback HTTP port, so that a
 * test can SIGKILL it and start it again on the same port and state dir.
 *
 * <pre>{@code
 * var node = NodeProcess.create("node-1", dir, logs, Map.of("bootstrap.servers", kafka)).start();
 * node.awaitReady(Duration.ofSeconds(90));
 * node.kill();
 * }</pre>
 */
public final class NodeProcess implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final int BIND_ATTEMPTS = 5;

  private final String name;
  private final Path log;
  private final Map<String, String> settings;
  private final Path stateDir;
  private ChildJvm jvm;
  private int port;
  private boolean everReady;

  private NodeProcess(String name, Path log, Map<String, String> settings, Path stateDir) {
    this.name = name;
    this.log = log;
    this.settings = settings;
    this.stateDir = stateDir;
    usePort(ListenPorts.pick("127.0.0.1", 1)[0]);
  }

  /**
   * A node named {@code name} with its state dir under {@code dir} and its log under {@code logs};
   * {@code settings} are passed as {@code -D key=value} (the HTTP port, state dir and {@code
   * application.server} are set here). The port lies outside the ephemeral range ({@link
   * ListenPorts}); should it be taken before the node's first start binds it, the node starts on
   * another. Later starts keep it.
   */
  public static NodeProcess create(String name, Path dir, Path logs, Map<String, String> settings) {
    return new NodeProcess(
        name, logs.resolve(name + ".log"), Map.copyOf(settings), dir.resolve(name + "-state"));
  }

  private void usePort(int chosen) {
    port = chosen;
    var all = new TreeMap<>(settings);
    all.put("http.port", Integer.toString(port));
    all.put("state.dir", stateDir.toString());
    all.put("application.server", "127.0.0.1:" + port);
    var args = new ArrayList<String>(List.of("serve"));
    all.forEach((k, v) -> args.addAll(List.of("-D", k + "=" + v)));
    jvm =
        ChildJvm.of(
            name,
            log,
            List.of("-Xmx512m", "-XX:+UseSerialGC"),
            "dev.tessera.serving.cli.TesseraCommand",
            args);
  }

  public NodeProcess start() {
    jvm.start();
    return this;
  }

  /** Until {@code /health/ready} answers 200 (stores restored, HTTP up). */
  public void awaitReady(Duration timeout) {
    for (int attempt = 1; ; attempt++) {
      try {
        awaitReadyOnce(timeout);
        everReady = true;
        return;
      } catch (Await.Abort e) {
        boolean portTaken = jvm.outputOfLastStart().contains(ListenPorts.ADDRESS_IN_USE);
        if (everReady || !portTaken || attempt >= BIND_ATTEMPTS) {
          throw new AssertionError(e.getMessage() + "\n" + jvm.tail(), e);
        }
        usePort(ListenPorts.pick("127.0.0.1", 1)[0]);
        start();
      }
    }
  }

  private void awaitReadyOnce(Duration timeout) {
    try {
      Await.until(
          timeout,
          jvm.name() + " ready",
          () -> {
            if (!jvm.alive()) {
              throw new Await.Abort(jvm.name() + " exited");
            }
            return status("/health/ready") == 200 ? Boolean.TRUE : null;
          });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n" + jvm.tail(), e);
    }
  }

  private int status(String path) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(2)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  public URI url(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  public String address() {
    return "127.0.0.1:" + port;
  }

  public Path stateDir() {
    return stateDir;
  }

  public String tail() {
    return jvm.tail();
  }

  /** SIGKILL. */
  public void kill() {
    jvm.kill();
  }

  @Override
  public void close() {
    jvm.close();
  }
}
