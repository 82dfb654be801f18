package dev.tessera.serving.http.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.serving.config.ServingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessTokensTest {
  @TempDir Path dir;

  @Test
  void shouldParseTokensWithTheirScopes() {
    AccessTokens tokens = AccessTokens.parse(" inv-1:invoke , adm-1:admin ", "auth.tokens");
    assertThat(tokens.isEmpty()).isFalse();
    assertThat(tokens.scopeOf("inv-1")).isEqualTo(Scope.INVOKE);
    assertThat(tokens.scopeOf("adm-1")).isEqualTo(Scope.ADMIN);
    assertThat(tokens.scopeOf("inv-")).isNull();
    assertThat(tokens.scopeOf("")).isNull();
  }

  @Test
  void shouldKeepColonsInsideATokenAndTakeTheWidestScopeOfADuplicate() {
    AccessTokens tokens = AccessTokens.parse("a:b:c:invoke,a:b:c:admin", "auth.tokens");
    assertThat(tokens.scopeOf("a:b:c")).isEqualTo(Scope.ADMIN);
  }

  @Test
  void shouldBeEmptyWhenNothingIsConfigured() {
    assertThat(AccessTokens.parse("", "auth.tokens").isEmpty()).isTrue();
    assertThat(AccessTokens.load(new ServingConfig(Map.of())).isEmpty()).isTrue();
    assertThat(AccessTokens.load(new ServingConfig(Map.of())).peerToken()).isNull();
  }

  @Test
  void shouldRefuseAMalformedEntryWithoutEchoingTheToken() {
    for (String bad : new String[] {"secret-1:root", "secret-1", ":admin", "secret-1:admin,"}) {
      assertThatThrownBy(() -> AccessTokens.parse(bad, "auth.tokens"))
          .as(bad)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("auth.tokens entry")
          .hasMessageNotContaining("secret-1");
    }
  }

  @Test
  void shouldReadTokensFromAFileSkippingCommentsAndBlankLines() throws IOException {
    Path file = dir.resolve("tokens");
    Files.writeString(file, "# operators\n\nfile-adm:admin\n  file-inv:invoke  \n");
    AccessTokens tokens =
        AccessTokens.load(
            new ServingConfig(
                Map.of("auth.tokens", "inline:invoke", "auth.tokens.file", file.toString())));
    assertThat(tokens.scopeOf("inline")).isEqualTo(Scope.INVOKE);
    assertThat(tokens.scopeOf("file-adm")).isEqualTo(Scope.ADMIN);
    assertThat(tokens.scopeOf("file-inv")).isEqualTo(Scope.INVOKE);
    assertThat(tokens.peerToken()).isEqualTo("file-adm");
  }

  @Test
  void shouldNameTheFileAndLineOfABadEntry() throws IOException {
    Path file = dir.resolve("tokens");
    Files.writeString(file, "ok:admin\nleaked-secret:superuser\n");
    var config = new ServingConfig(Map.of("auth.tokens.file", file.toString()));
    assertThatThrownBy(() -> AccessTokens.load(config))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("auth.tokens.file")
        .hasMessageContaining("line 2")
        .hasMessageNotContaining("leaked-secret");
  }

  @Test
  void shouldUseTheConfiguredPeerTokenOnlyIfItIsAccepted() {
    var config =
        new ServingConfig(Map.of("auth.tokens", "inv:invoke,adm:admin", "auth.peer.token", "inv"));
    assertThat(AccessTokens.load(config).peerToken()).isEqualTo("inv");
    var unknown =
        new ServingConfig(Map.of("auth.tokens", "inv:invoke", "auth.peer.token", "other"));
    assertThatThrownBy(() -> AccessTokens.load(unknown))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("auth.peer.token")
        .hasMessageNotContaining("other");
  }

  @Test
  void shouldPickTheFirstAdminTokenForPeersElseTheFirstToken() {
    assertThat(AccessTokens.parse("i1:invoke,a1:admin,a2:admin", "t").peerToken()).isEqualTo("a1");
    assertThat(AccessTokens.parse("i1:invoke,i2:invoke", "t").peerToken()).isEqualTo("i1");
  }

  @Test
  void shouldNotShowTokensInToString() {
    assertThat(AccessTokens.parse("visible-secret:admin", "t").toString())
        .doesNotContain("visible-secret");
    assertThat(new ServingConfig(Map.of("auth.tokens", "visible-secret:admin")).toString())
        .doesNotContain("visible-secret");
  }
}
