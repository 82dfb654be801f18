package dev.tessera.serving.http.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What makes the token check constant-time, asserted on the comparison itself rather than by
 * timing: every configured token is compared, always as two 32-byte SHA-256 digests, with {@link
 * MessageDigest#isEqual}; a token differing anywhere, or a prefix or extension of a valid one, is
 * refused.
 */
class TokenComparisonTest {
  private static final String INVOKE = "inv-7c1e94b0a2d35f68";
  private static final String ADMIN = "adm-0f4b2e8d9a61c357";
  private static final String OTHER = "inv-second-token-00";
  private final AccessTokens tokens =
      AccessTokens.parse(INVOKE + ":invoke," + ADMIN + ":admin," + OTHER + ":invoke", "test");

  @Test
  void shouldRefuseEveryPrefixExtensionAndOneCharacterChangeOfAValidToken() {
    for (String valid : List.of(INVOKE, ADMIN, OTHER)) {
      for (int n = 0; n < valid.length(); n++) {
        assertThat(tokens.scopeOf(valid.substring(0, n))).as("prefix of length " + n).isNull();
        char c = valid.charAt(n);
        String changed = valid.substring(0, n) + (c == 'x' ? 'y' : 'x') + valid.substring(n + 1);
        assertThat(tokens.scopeOf(changed)).as("changed at " + n).isNull();
      }
      assertThat(tokens.scopeOf(valid + "0")).isNull();
      assertThat(tokens.scopeOf(" " + valid)).isNull();
      assertThat(tokens.scopeOf(valid)).isNotNull();
    }
  }

  @Test
  void shouldCompareEqualLengthDigestsWithEveryConfiguredTokenWhereverItMatches() {
    var calls = new ArrayList<int[]>();
    var matches = new ArrayList<Boolean>();
    for (String presented : List.of(INVOKE, ADMIN, OTHER, "", "x".repeat(5_000), "adm-0")) {
      calls.clear();
      matches.clear();
      Scope scope =
          tokens.scopeOf(
              presented,
              (a, b) -> {
                calls.add(new int[] {a.length, b.length});
                boolean same = TokenDigest.same(a, b);
                assertThat(same).isEqualTo(MessageDigest.isEqual(a, b));
                matches.add(same);
                return same;
              });
      // No early exit: a match on the first token costs as many compares as no match at all.
      assertThat(calls).as(presented).hasSize(3);
      assertThat(calls).allSatisfy(lengths -> assertThat(lengths).containsExactly(32, 32));
      assertThat(matches.stream().filter(m -> m).count()).isEqualTo(scope == null ? 0 : 1);
    }
  }

  @Test
  void shouldCompareDigestsWithMessageDigestIsEqual() {
    byte[] a = TokenDigest.of(INVOKE);
    byte[] b = TokenDigest.of(INVOKE);
    byte[] c = TokenDigest.of(ADMIN);
    assertThat(a).isNotSameAs(b);
    assertThat(TokenDigest.same(a, b)).isTrue().isEqualTo(MessageDigest.isEqual(a, b));
    assertThat(TokenDigest.same(a, c)).isFalse().isEqualTo(MessageDigest.isEqual(a, c));
    for (int i = 0; i < a.length; i++) {
      byte[] flipped = a.clone();
      flipped[i] ^= 1;
      assertThat(TokenDigest.same(a, flipped)).as("byte " + i).isFalse();
    }
  }
}
