package dev.tessera.serving.http.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenDigestTest {
  @Test
  void shouldDigestEveryTokenToThirtyTwoBytes() {
    assertThat(TokenDigest.of("")).hasSize(32);
    assertThat(TokenDigest.of("x".repeat(10_000))).hasSize(32);
  }

  @Test
  void shouldMatchOnlyTheSameToken() {
    assertThat(TokenDigest.same(TokenDigest.of("token-a"), TokenDigest.of("token-a"))).isTrue();
    assertThat(TokenDigest.same(TokenDigest.of("token-a"), TokenDigest.of("token-b"))).isFalse();
    assertThat(TokenDigest.same(TokenDigest.of("token"), TokenDigest.of("token-a"))).isFalse();
    assertThat(TokenDigest.same(TokenDigest.of("Token-a"), TokenDigest.of("token-a"))).isFalse();
  }
}
