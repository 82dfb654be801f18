package dev.tessera.serving.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.query.FeatureRouter;
import dev.tessera.features.query.PeerClient;
import dev.tessera.serving.config.ServingConfig;
import dev.tessera.serving.http.auth.AccessTokens;
import dev.tessera.serving.http.auth.AuthFailureLimit;
import dev.tessera.serving.http.auth.BearerAuth;
import dev.tessera.serving.http.auth.BindGuard;
import dev.tessera.serving.http.auth.RoutePolicy;
import dev.tessera.serving.inference.InferenceService;
import dev.tessera.serving.metrics.ServingMetrics;
import dev.tessera.serving.registry.ModelRegistry;
import dev.tessera.serving.registry.RegistryWriter;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The HTTP API of a node: invocations (MLflow formats and Open Inference Protocol v2), feature
 * lookups, the model registry, health and Prometheus {@code /metrics}. Routes are small handlers;
 * all errors go through one {@link ErrorMapper}. With tokens configured ({@code auth.tokens}) every
 * route but health needs a bearer token of the right scope (see {@link RoutePolicy}).
 *
 * <pre>{@code
 * try (HttpApi api = HttpApi.start(config, inference, lookup, status, Clock.systemUTC())) {
 *   int port = api.port();
 * }
 * }</pre>
 */
public final class HttpApi implements AutoCloseable {
  private final Javalin app;

  private HttpApi(Javalin app) {
    this.app = app;
  }

  /** The API without the model registry routes. */
  public static HttpApi start(
      ServingConfig config,
      InferenceService inference,
      FeatureRouter router,
      FeatureRegistry registry,
      NodeStatus status,
      Clock clock) {
    return start(config, inference, router, registry, null, null, status, clock);
  }

  /**
   * The API with the model registry routes ({@code /api/2.0/mlflow/...}) when {@code models} and
   * {@code writer} are given.
   */
  public static HttpApi start(
      ServingConfig config,
      InferenceService inference,
      FeatureRouter router,
      FeatureRegistry registry,
      ModelRegistry models,
      RegistryWriter writer,
      NodeStatus status,
      Clock clock) {
    HttpListener listener = HttpListener.bind(config.httpHost(), config.httpPort());
    try {
      return start(
          listener,
          config,
          inference,
          router,
          registry,
          models,
          writer,
          status,
          clock,
          ServingMetrics.create());
    } catch (RuntimeException e) {
      listener.close();
      throw e;
    }
  }

  /**
   * The API with the registry routes (when {@code models} and {@code writer} are given) recording
   * into {@code metrics}, served on {@code /metrics}, accepting on {@code listener} (its owner
   * closes it should the API not start).
   *
   * @throws org.apache.kafka.common.config.ConfigException if {@code http.host} is not loopback and
   *     no token is configured, or a token entry is malformed
   */
  public static HttpApi start(
      HttpListener listener,
      ServingConfig config,
      InferenceService inference,
      FeatureRouter router,
      FeatureRegistry registry,
      ModelRegistry models,
      RegistryWriter writer,
      NodeStatus status,
      Clock clock,
      ServingMetrics metrics,
      ApiRoutes... extra) {
    AccessTokens tokens = AccessTokens.load(config);
    BindGuard.check(config.httpHost(), tokens);
    var json = new ObjectMapper();
    Javalin app =
        Javalin.create(
            cfg -> {
              cfg.showJavalinBanner = false;
              cfg.http.maxRequestSize = config.maxBodyBytes();
              cfg.jsonMapper(new JavalinJackson(json, false));
              cfg.jetty.addConnector(listener::connector);
              // Jetty's own refusals (unparsable requests) as JSON errors, not HTML pages.
              cfg.jetty.modifyServer(server -> server.setErrorHandler(new JettyErrors()));
              cfg.jetty.modifyServletContextHandler(
                  handler -> handler.setErrorHandler(new JettyErrors()));
            });
    ErrorMapper.register(app);
    app.before(HttpApi::requireValidEscapes);
    RequestTiming.install(app, metrics.requests());
    if (!tokens.isEmpty()) {
      app.before(
          new BearerAuth(
              tokens, new RoutePolicy(config.metricsPublic()), AuthFailureLimit.of(config)));
    }
    app.get("/metrics", ctx -> ctx.contentType(metrics.contentType()).result(metrics.scrape()));
    var invocations =
        new InvocationsHandler(inference, json, config.maxBatchRows(), metrics.inference());
    app.post("/serving-endpoints/{name}/invocations", invocations);
    app.post("/serving-endpoints/{name}/served-models/{entity}/invocations", invocations);
    new OipHandler(inference, json, status, config.maxBatchRows(), metrics.inference())
        .register(app);
    var features = new FeaturesHandler(router, registry, json, clock, config.maxBatchRows());
    app.get("/features/{view}/{key}", features::getOne);
    app.post("/features/lookup", features::lookupMany);
    app.post(PeerClient.PATH, features::forwarded);
    if (models != null && writer != null) {
      String dir = config.registrySourceDir();
      new RegistryHandler(models, writer, json, dir.isEmpty() ? null : Path.of(dir)).register(app);
    }
    for (ApiRoutes routes : extra) {
      routes.register(app);
    }
    app.get("/health/live", ctx -> ctx.json(Map.of("status", "UP")));
    app.get(
        "/health/ready",
        ctx -> {
          boolean ready = status.ready();
          var body = new LinkedHashMap<String, Object>();
          body.put("status", ready ? "READY" : "NOT_READY");
          body.put("streams", status.streamsState());
          body.put("models_loaded", status.modelsLoaded());
          ctx.status(ready ? 200 : 503).json(body);
        });
    app.start();
    return new HttpApi(app);
  }

  /**
   * Refuses a path with a {@code %} not followed by two hex digits: Jetty lets some through (e.g. a
   * trailing {@code %}), and Javalin's path-parameter decoding would then fail with a 500.
   */
  static void requireValidEscapes(io.javalin.http.Context ctx) {
    String raw = ctx.req().getRequestURI();
    for (int i = raw.indexOf('%'); i >= 0; i = raw.indexOf('%', i + 1)) {
      if (i + 2 >= raw.length() || !isHex(raw.charAt(i + 1)) || !isHex(raw.charAt(i + 2))) {
        throw ApiException.malformed(
            "The path has a '%' that is not followed by two hex digits (percent-encoding)");
      }
    }
  }

  private static boolean isHex(char c) {
    return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
  }

  /** The port the API listens on (useful when configured as 0). */
  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
  }
}
