package dev.tessera.serving.http.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScopeTest {
  @Test
  void shouldLetAdminDoWhatInvokeMayButNotTheOtherWayRound() {
    assertThat(Scope.ADMIN.covers(Scope.ADMIN)).isTrue();
    assertThat(Scope.ADMIN.covers(Scope.INVOKE)).isTrue();
    assertThat(Scope.INVOKE.covers(Scope.INVOKE)).isTrue();
    assertThat(Scope.INVOKE.covers(Scope.ADMIN)).isFalse();
  }

  @Test
  void shouldParseOnlyTheLowerCaseNames() {
    assertThat(Scope.parse("invoke")).isEqualTo(Scope.INVOKE);
    assertThat(Scope.parse("admin")).isEqualTo(Scope.ADMIN);
    assertThat(Scope.parse("ADMIN")).isNull();
    assertThat(Scope.parse("root")).isNull();
  }
}
