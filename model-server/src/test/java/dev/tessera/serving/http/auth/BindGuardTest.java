package dev.tessera.serving.http.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class BindGuardTest {
  @Test
  void shouldTreatLoopbackLiteralsAndLocalhostAsLoopback() {
    for (String host :
        new String[] {"127.0.0.1", "127.1.2.3", "::1", "[::1]", "0:0:0:0:0:0:0:1", "localhost"}) {
      assertThat(BindGuard.isLoopback(host)).as(host).isTrue();
    }
  }

  @Test
  void shouldTreatEveryOtherAddressOrNameAsNotLoopback() {
    for (String host :
        new String[] {"0.0.0.0", "::", "10.0.0.7", "192.168.1.1", "example.com", "127.example"}) {
      assertThat(BindGuard.isLoopback(host)).as(host).isFalse();
    }
  }

  @Test
  void shouldRefuseANonLoopbackHostWithoutTokens() {
    assertThatThrownBy(() -> BindGuard.check("0.0.0.0", AccessTokens.none()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("http.host=0.0.0.0")
        .hasMessageContaining("auth.tokens")
        .hasMessageNotContaining("\n");
  }

  @Test
  void shouldAllowANonLoopbackHostWithTokensAndLoopbackWithout() {
    assertThatCode(() -> BindGuard.check("0.0.0.0", AccessTokens.parse("t:admin", "auth.tokens")))
        .doesNotThrowAnyException();
    assertThatCode(() -> BindGuard.check("127.0.0.1", AccessTokens.none()))
        .doesNotThrowAnyException();
  }
}
