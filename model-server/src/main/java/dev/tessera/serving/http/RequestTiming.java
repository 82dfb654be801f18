package dev.tessera.serving.http;

import dev.tessera.serving.metrics.RequestMetrics;
import io.javalin.Javalin;
import io.javalin.http.Context;

/**
 * Times every request, from the first before-handler (so refused requests count too) to the last
 * after-handler, under its route template; requests that match no route count as {@code unmatched}.
 */
final class RequestTiming {
  private static final String STARTED = "tessera.started";

  private RequestTiming() {}

  /** Installs the timing handlers; call before any other before-handler. */
  static void install(Javalin app, RequestMetrics metrics) {
    app.before(ctx -> ctx.attribute(STARTED, System.nanoTime()));
    app.after(
        ctx -> {
          Long started = ctx.attribute(STARTED);
          if (started != null) {
            metrics.observe(
                route(ctx), ctx.method().name(), ctx.statusCode(), System.nanoTime() - started);
          }
        });
  }

  private static String route(Context ctx) {
    try {
      String path = ctx.endpointHandlerPath();
      // Javalin answers a sentence, not a path, when no endpoint matched (404/405).
      return path != null && path.startsWith("/") ? path : "unmatched";
    } catch (RuntimeException e) {
      return "unmatched";
    }
  }
}
