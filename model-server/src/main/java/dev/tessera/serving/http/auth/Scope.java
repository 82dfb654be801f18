package dev.tessera.serving.http.auth;

import java.util.Locale;

/**
 * What a bearer token may do: {@link #INVOKE} calls invocations and feature lookups; {@link #ADMIN}
 * may do everything, including the registry and endpoint management.
 *
 * <pre>{@code
 * Scope.ADMIN.covers(Scope.INVOKE); // true
 * Scope.INVOKE.covers(Scope.ADMIN); // false
 * }</pre>
 */
public enum Scope {
  INVOKE,
  ADMIN;

  /** Whether a token of this scope may call a route that needs {@code required}. */
  public boolean covers(Scope required) {
    return this == ADMIN || required == INVOKE;
  }

  /** The scope's name as written in token entries: {@code invoke} or {@code admin}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The scope named {@code text} ({@code invoke} or {@code admin}), or null. */
  static Scope parse(String text) {
    for (Scope s : values()) {
      if (s.label().equals(text)) {
        return s;
      }
    }
    return null;
  }
}
