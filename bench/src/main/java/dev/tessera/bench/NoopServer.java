package dev.tessera.bench;

import io.javalin.Javalin;

/**
 * The baseline of the predict benchmark: a Javalin server (the version and defaults a node runs)
 * whose one {@code POST} route reads the body and answers a constant JSON as long as a one-row
 * prediction. What is left of a predict's latency over this is Tessera's own work.
 *
 * <pre>{@code
 * try (NoopServer noop = NoopServer.start()) {
 *   byte[] request = HttpConnection.post("127.0.0.1", noop.port(), NoopServer.PATH, body);
 * }
 * }</pre>
 */
final class NoopServer implements AutoCloseable {
  static final String PATH = "/noop/invocations";
  static final String RESPONSE =
      "{\"predictions\":[{\"customer_id\":\"C-00000\",\"probability\":0.5,\"label\":0,"
          + "\"served_model\":\"noop-1\",\"model_version\":\"1\",\"features_found\":true}]}";

  private final Javalin app;

  private NoopServer(Javalin app) {
    this.app = app;
  }

  /** Starts on a free port of 127.0.0.1. */
  static NoopServer start() {
    Javalin app = Javalin.create(cfg -> cfg.showJavalinBanner = false);
    app.post(
        PATH,
        ctx -> {
          if (ctx.bodyAsBytes().length == 0) {
            ctx.status(400);
          }
          ctx.contentType("application/json").result(RESPONSE);
        });
    app.start("127.0.0.1", 0);
    return new NoopServer(app);
  }

  int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
  }
}
