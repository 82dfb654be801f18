package dev.tessera.serving.http.auth;

import dev.tessera.serving.http.ApiException;
import io.javalin.http.Context;
import io.javalin.http.Handler;

/**
 * The before-handler that checks {@code Authorization: Bearer <token>} against the route's {@link
 * RoutePolicy}: no or an unknown token is a 401 {@code UNAUTHENTICATED}, a token without the
 * route's scope a 403 {@code PERMISSION_DENIED} (both through the API's error mapper). Messages
 * never repeat the token.
 *
 * <pre>{@code
 * app.before(new BearerAuth(AccessTokens.load(config), new RoutePolicy(config.metricsPublic())));
 * }</pre>
 */
public final class BearerAuth implements Handler {
  private static final String PREFIX = "bearer ";

  private final AccessTokens tokens;
  private final RoutePolicy policy;

  public BearerAuth(AccessTokens tokens, RoutePolicy policy) {
    this.tokens = tokens;
    this.policy = policy;
  }

  @Override
  public void handle(Context ctx) {
    Scope required = policy.required(ctx.path());
    if (required == null) {
      return;
    }
    String token = bearerToken(ctx.header("Authorization"));
    if (token == null) {
      throw ApiException.unauthenticated(
          "This route needs a bearer token: send 'Authorization: Bearer <token>'");
    }
    Scope scope = tokens.scopeOf(token);
    if (scope == null) {
      throw ApiException.unauthenticated("The bearer token is not valid");
    }
    if (!scope.covers(required)) {
      throw ApiException.permissionDenied(
          "This route needs a token with scope '"
              + required.label()
              + "'; the token has scope '"
              + scope.label()
              + "'");
    }
  }

  /** The token of a {@code Bearer} authorization header, or null if there is none. */
  static String bearerToken(String header) {
    if (header == null || header.length() <= PREFIX.length()) {
      return null;
    }
    if (!header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      return null;
    }
    String token = header.substring(PREFIX.length()).strip();
    return token.isEmpty() ? null : token;
  }
}
