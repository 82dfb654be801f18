package dev.tessera.serving.http.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BearerAuthTest {
  @Test
  void shouldReadTheTokenOfABearerHeaderWhateverTheSchemeCase() {
    assertThat(BearerAuth.bearerToken("Bearer abc")).isEqualTo("abc");
    assertThat(BearerAuth.bearerToken("bearer  abc ")).isEqualTo("abc");
  }

  @Test
  void shouldFindNoTokenInOtherHeaders() {
    assertThat(BearerAuth.bearerToken(null)).isNull();
    assertThat(BearerAuth.bearerToken("Bearer ")).isNull();
    assertThat(BearerAuth.bearerToken("Basic dXNlcjpwYXNz")).isNull();
    assertThat(BearerAuth.bearerToken("Bearerabc")).isNull();
  }
}
