package dev.tessera.serving.http.auth;

import dev.tessera.features.query.PeerClient;
import dev.tessera.serving.http.EndpointsHandler;

/**
 * Which scope each route needs: health is open; invocations, Open Inference Protocol model routes,
 * feature lookups, forwarded lookups and the other node-to-node reads under {@code /internal/} need
 * {@link Scope#INVOKE}; {@code /metrics} needs {@link Scope#ADMIN} unless public; everything else,
 * the management APIs under {@code /api/2.0/} included, needs {@link Scope#ADMIN}, so a new route
 * is closed until it is classified here.
 *
 * <pre>{@code
 * new RoutePolicy(false).required("/serving-endpoints/churn/invocations"); // Scope.INVOKE
 * new RoutePolicy(false).required("/health/ready"); // null: open
 * }</pre>
 */
public final class RoutePolicy {
  private final boolean metricsPublic;

  /** A policy where {@code /metrics} is open if {@code metricsPublic}, else admin only. */
  public RoutePolicy(boolean metricsPublic) {
    this.metricsPublic = metricsPublic;
  }

  /** The scope {@code path} needs, or null if it is open to anyone. */
  public Scope required(String path) {
    if (path.startsWith("/health/") || path.startsWith("/v2/health/")) {
      return null;
    }
    if (path.equals("/metrics")) {
      return metricsPublic ? null : Scope.ADMIN;
    }
    if (path.startsWith("/serving-endpoints/") && path.endsWith("/invocations")
        || path.startsWith("/v2/models/")
        || path.startsWith("/features/")
        || path.equals(PeerClient.PATH)
        || path.equals(EndpointsHandler.PEER_EXPERIMENT_PATH)) {
      return Scope.INVOKE;
    }
    return Scope.ADMIN;
  }
}
