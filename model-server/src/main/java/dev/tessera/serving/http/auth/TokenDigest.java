package dev.tessera.serving.http.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 digests of tokens and their constant-time comparison: comparing fixed-length digests with
 * {@link MessageDigest#isEqual} takes the same time wherever the first difference is, and a token
 * of any length costs the same to compare, so response times do not reveal a token's prefix or
 * length.
 *
 * <pre>{@code
 * TokenDigest.same(TokenDigest.of(presented), TokenDigest.of(configured));
 * }</pre>
 */
final class TokenDigest {
  private TokenDigest() {}

  /** The SHA-256 digest of the token's UTF-8 bytes. */
  static byte[] of(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java platform has SHA-256", e);
    }
  }

  /** Whether two digests are equal, in time independent of where they differ. */
  static boolean same(byte[] a, byte[] b) {
    return MessageDigest.isEqual(a, b);
  }
}
