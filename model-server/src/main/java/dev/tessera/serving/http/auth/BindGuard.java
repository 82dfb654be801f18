package dev.tessera.serving.http.auth;

import dev.tessera.serving.config.ServingConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.apache.kafka.common.config.ConfigException;

/**
 * Refuses to serve an open API beyond this machine: binding {@value ServingConfig#HTTP_HOST} to
 * anything but a loopback address (127.x, ::1, localhost) needs at least one token.
 *
 * <pre>{@code
 * BindGuard.check("0.0.0.0", AccessTokens.none()); // throws ConfigException
 * }</pre>
 */
public final class BindGuard {
  private BindGuard() {}

  /**
   * @throws ConfigException naming {@value ServingConfig#HTTP_HOST} and the token settings when
   *     {@code host} is not loopback and {@code tokens} is empty
   */
  public static void check(String host, AccessTokens tokens) {
    if (tokens.isEmpty() && !isLoopback(host)) {
      throw new ConfigException(
          "Refusing to serve "
              + ServingConfig.HTTP_HOST
              + "="
              + host
              + " (not a loopback address) without tokens: set "
              + ServingConfig.AUTH_TOKENS
              + " or "
              + ServingConfig.AUTH_TOKENS_FILE
              + ", or bind 127.0.0.1");
    }
  }

  /**
   * Whether {@code host} is {@code localhost} or a loopback IP literal; any other name counts as
   * not loopback, without asking DNS.
   */
  static boolean isLoopback(String host) {
    String h = host.strip();
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.equalsIgnoreCase("localhost")) {
      return true;
    }
    boolean literal = !h.isEmpty() && (h.indexOf(':') >= 0 || h.matches("[0-9.]+"));
    if (!literal) {
      return false;
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress(); // a literal: parsed, never resolved
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
