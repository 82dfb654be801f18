package dev.tessera.serving.http.auth;

import dev.tessera.serving.http.ApiException;
import io.javalin.http.Context;
import io.javalin.http.Handler;

/**
 * The before-handler that checks {@code Authorization: Bearer <token>} against the route's {@link
 * RoutePolicy}: no or an unknown token is a 401 {@code UNAUTHENTICATED}, a token without the
 * route's scope a 403 {@code PERMISSION_DENIED} (both through the API's error mapper). Messages
 * never repeat the token. A remote address that presented too many invalid tokens ({@link
 * AuthFailureLimit}) gets 429 {@code REQUEST_LIMIT_EXCEEDED} with {@code Retry-After} before its
 * token is even looked at, so a blocked guesser learns nothing from its guesses.
 *
 * <pre>{@code
 * app.before(new BearerAuth(AccessTokens.load(config), new RoutePolicy(config.metricsPublic()),
 *     AuthFailureLimit.of(config)));
 * }</pre>
 */
public final class BearerAuth implements Handler {
  private static final String PREFIX = "bearer ";

  private final AccessTokens tokens;
  private final RoutePolicy policy;
  private final AuthFailureLimit failures;

  /** Checks tokens with no limit on failed attempts. */
  public BearerAuth(AccessTokens tokens, RoutePolicy policy) {
    this(tokens, policy, AuthFailureLimit.off());
  }

  public BearerAuth(AccessTokens tokens, RoutePolicy policy, AuthFailureLimit failures) {
    this.tokens = tokens;
    this.policy = policy;
    this.failures = failures;
  }

  @Override
  public void handle(Context ctx) {
    Scope required = policy.required(ctx.path());
    if (required == null) {
      return;
    }
    // The socket's address, not X-Forwarded-For, which any client can write.
    String address = ctx.req().getRemoteAddr();
    long blocked = failures.blockedForMillis(address);
    if (blocked > 0) {
      long seconds = (blocked + 999) / 1000;
      throw ApiException.tooManyRequests(
          "Too many invalid bearer tokens from this address; retry after " + seconds + " s",
          (int) Math.min(Integer.MAX_VALUE, seconds));
    }
    String token = bearerToken(ctx.header("Authorization"));
    if (token == null) {
      throw ApiException.unauthenticated(
          "This route needs a bearer token: send 'Authorization: Bearer <token>'");
    }
    Scope scope = tokens.scopeOf(token);
    if (scope == null) {
      failures.recordFailure(address);
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
