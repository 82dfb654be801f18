package dev.tessera.serving.http;

import dev.tessera.features.query.FeaturesUnavailableException;
import dev.tessera.features.query.UnknownViewException;
import dev.tessera.serving.inference.EntityUnavailableException;
import dev.tessera.serving.inference.InvalidInvocationException;
import dev.tessera.serving.inference.UnknownEndpointException;
import dev.tessera.serving.registry.RegistryException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become HTTP responses: every error is JSON in its protocol's shape,
 * {@code {"error_code", "message"}} (MLflow, every route but OIP's) or {@code {"error"}} (Open
 * Inference Protocol, under {@code /v2/}), with the same status either way; a caller's mistake is a
 * 4xx naming the problem; an unexpected failure is a 500 with an id to find it in the log, never a
 * stack trace.
 */
final class ErrorMapper {
  private static final Logger log = LoggerFactory.getLogger(ErrorMapper.class);

  private ErrorMapper() {}

  static void register(Javalin app) {
    app.exception(ApiException.class, (e, ctx) -> write(ctx, e));
    app.exception(
        UnknownEndpointException.class,
        (e, ctx) -> write(ctx, ApiException.notFound(e.getMessage())));
    app.exception(
        InvalidInvocationException.class,
        (e, ctx) -> write(ctx, ApiException.invalidParameter(e.getMessage())));
    app.exception(
        UnknownViewException.class, (e, ctx) -> write(ctx, ApiException.notFound(e.getMessage())));
    app.exception(RegistryException.class, (e, ctx) -> write(ctx, of(e)));
    app.exception(
        EntityUnavailableException.class,
        (e, ctx) -> write(ctx, ApiException.unavailable(e.getMessage(), 1)));
    app.exception(
        FeaturesUnavailableException.class,
        (e, ctx) -> write(ctx, ApiException.unavailable(e.getMessage(), 1)));
    // Endpoint-config writers kept fencing each other (each writer retries a few times first): the
    // one fenced wrote nothing and may simply retry.
    app.exception(
        ProducerFencedException.class,
        (e, ctx) ->
            write(
                ctx,
                new ApiException(
                    409,
                    "ABORTED",
                    "Another change was written at the same time and this one was not; retry",
                    null)));
    app.exception(
        HttpResponseException.class,
        (e, ctx) ->
            write(
                ctx,
                new ApiException(
                    e.getStatus(),
                    codeOf(e.getStatus()),
                    // Jetty's own words ("Content Too Large") do not say which limit.
                    e.getStatus() == 413
                        ? "Request body larger than http.max.body.bytes allows"
                        : e.getMessage(),
                    null)));
    app.exception(
        Exception.class,
        (e, ctx) -> {
          String id = UUID.randomUUID().toString();
          log.error("Internal error {} on {} {}", id, ctx.method(), ctx.path(), e);
          write(
              ctx,
              new ApiException(
                  500, "INTERNAL_ERROR", "Internal error; the server log has id " + id, null));
        });
    app.error(
        404,
        ctx -> {
          if (ctx.result() == null || ctx.result().isEmpty()) {
            write(ctx, ApiException.notFound("No route " + ctx.method() + " " + ctx.path()));
          }
        });
  }

  /**
   * MLflow's codes: 404 for a missing resource, 400 for the rest, 409 ABORTED for a race, 503 when
   * Kafka is not reachable.
   */
  private static ApiException of(RegistryException e) {
    return switch (e.reason()) {
      case NOT_FOUND -> ApiException.notFound(e.getMessage());
      case ALREADY_EXISTS -> new ApiException(400, "RESOURCE_ALREADY_EXISTS", e.getMessage(), null);
      case INVALID -> ApiException.invalidParameter(e.getMessage());
      case CONFLICT -> new ApiException(409, "ABORTED", e.getMessage(), null);
      case UNAVAILABLE -> ApiException.unavailable(e.getMessage(), 1);
    };
  }

  static String codeOf(int status) {
    return switch (status) {
      case 404 -> "RESOURCE_DOES_NOT_EXIST";
      case 405 -> "METHOD_NOT_ALLOWED";
      case 413 -> "REQUEST_TOO_LARGE";
      case 429 -> "REQUEST_LIMIT_EXCEEDED";
      case 503 -> "TEMPORARILY_UNAVAILABLE";
      default -> status < 500 ? "BAD_REQUEST" : "INTERNAL_ERROR";
    };
  }

  private static void write(Context ctx, ApiException e) {
    if (e.retryAfterSeconds() != null) {
      ctx.header("Retry-After", e.retryAfterSeconds().toString());
    }
    if (e.status() == 401) {
      ctx.header("WWW-Authenticate", "Bearer");
    }
    ctx.status(e.status());
    if (ctx.path().startsWith(OipHandler.PREFIX)) {
      ctx.json(Map.of("error", e.getMessage()));
    } else {
      ctx.json(Map.of("error_code", e.errorCode(), "message", e.getMessage()));
    }
  }
}
