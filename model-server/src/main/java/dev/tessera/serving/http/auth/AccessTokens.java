package dev.tessera.serving.http.auth;

import dev.tessera.serving.config.ServingConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import org.apache.kafka.common.config.ConfigException;

/**
 * The bearer tokens a node accepts, each with its {@link Scope}, from {@value
 * ServingConfig#AUTH_TOKENS} ({@code token:scope} entries, comma-separated) and the lines of
 * {@value ServingConfig#AUTH_TOKENS_FILE}. Only SHA-256 digests are kept (plus the token sent to
 * peers); no message ever contains a token.
 *
 * <pre>{@code
 * AccessTokens tokens = AccessTokens.parse("s3cret:invoke,t0p:admin", "auth.tokens");
 * tokens.scopeOf("s3cret"); // Scope.INVOKE
 * tokens.scopeOf("nope"); // null
 * }</pre>
 */
public final class AccessTokens {
  private static final AccessTokens NONE = new AccessTokens(List.of(), List.of(), null);

  private final byte[][] digests;
  private final Scope[] scopes;
  private final String peerToken;

  private AccessTokens(List<String> tokens, List<Scope> scopes, String peerToken) {
    this.digests = new byte[tokens.size()][];
    for (int i = 0; i < digests.length; i++) {
      digests[i] = TokenDigest.of(tokens.get(i));
    }
    this.scopes = scopes.toArray(new Scope[0]);
    this.peerToken = peerToken;
  }

  /** No tokens: auth is off. */
  public static AccessTokens none() {
    return NONE;
  }

  /**
   * The tokens of comma-separated {@code token:scope} entries; {@code origin} names the setting in
   * errors.
   *
   * @throws ConfigException naming the origin and the entry's position (never the token) when an
   *     entry is not {@code token:scope} with scope {@code invoke} or {@code admin}
   */
  public static AccessTokens parse(String entries, String origin) {
    var tokens = new ArrayList<String>();
    var scopes = new ArrayList<Scope>();
    addEntries(entries, origin, tokens, scopes);
    return new AccessTokens(tokens, scopes, pickPeerToken(tokens, scopes));
  }

  /**
   * The tokens {@code config} names, from {@value ServingConfig#AUTH_TOKENS} and {@value
   * ServingConfig#AUTH_TOKENS_FILE}, with the token sent to peers ({@value
   * ServingConfig#AUTH_PEER_TOKEN}, else the first admin token, else the first token).
   */
  public static AccessTokens load(ServingConfig config) {
    var tokens = new ArrayList<String>();
    var scopes = new ArrayList<Scope>();
    addEntries(config.authTokens(), ServingConfig.AUTH_TOKENS, tokens, scopes);
    String file = config.authTokensFile();
    if (!file.isEmpty()) {
      readFile(Path.of(file), tokens, scopes);
    }
    String peer = config.authPeerToken();
    if (peer.isEmpty()) {
      peer = pickPeerToken(tokens, scopes);
    } else if (!tokens.contains(peer)) {
      throw new ConfigException(
          ServingConfig.AUTH_PEER_TOKEN
              + " must be one of the tokens of "
              + ServingConfig.AUTH_TOKENS
              + " or "
              + ServingConfig.AUTH_TOKENS_FILE);
    }
    return new AccessTokens(tokens, scopes, peer);
  }

  private static void addEntries(
      String entries, String origin, List<String> tokens, List<Scope> scopes) {
    if (entries.isBlank()) {
      return;
    }
    String[] parts = entries.split(",", -1);
    for (int i = 0; i < parts.length; i++) {
      add(parts[i], origin + " entry " + (i + 1), tokens, scopes);
    }
  }

  private static void readFile(Path path, List<String> tokens, List<Scope> scopes) {
    List<String> lines;
    try {
      lines = Files.readAllLines(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(
          "Could not read "
              + ServingConfig.AUTH_TOKENS_FILE
              + " "
              + path.toAbsolutePath()
              + ": "
              + e);
    }
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (!line.isEmpty() && !line.startsWith("#")) {
        add(line, ServingConfig.AUTH_TOKENS_FILE + " " + path + " line " + (i + 1), tokens, scopes);
      }
    }
  }

  private static void add(String entry, String where, List<String> tokens, List<Scope> scopes) {
    String trimmed = entry.strip();
    int colon = trimmed.lastIndexOf(':');
    String token = colon < 0 ? "" : trimmed.substring(0, colon).strip();
    Scope scope = colon < 0 ? null : Scope.parse(trimmed.substring(colon + 1).strip());
    if (token.isEmpty() || scope == null || token.chars().anyMatch(Character::isWhitespace)) {
      throw new ConfigException(
          where + " must be 'token:scope' with a token without spaces and scope invoke or admin");
    }
    tokens.add(token);
    scopes.add(scope);
  }

  private static String pickPeerToken(List<String> tokens, List<Scope> scopes) {
    int admin = scopes.indexOf(Scope.ADMIN);
    if (admin >= 0) {
      return tokens.get(admin);
    }
    return tokens.isEmpty() ? null : tokens.get(0);
  }

  /** Whether no token is configured, so auth is off. */
  public boolean isEmpty() {
    return digests.length == 0;
  }

  /**
   * The widest scope of a configured token equal to {@code presented}, or null if none is. Compares
   * the digest of {@code presented} with every configured digest in constant time, without stopping
   * at a match.
   */
  public Scope scopeOf(String presented) {
    return scopeOf(presented, TokenDigest::same);
  }

  /** {@link #scopeOf(String)} with another digest comparison, so tests can watch every compare. */
  Scope scopeOf(String presented, BiPredicate<byte[], byte[]> same) {
    byte[] digest = TokenDigest.of(presented);
    Scope best = null;
    for (int i = 0; i < digests.length; i++) {
      boolean match = same.test(digest, digests[i]);
      if (match && (best == null || scopes[i] == Scope.ADMIN)) {
        best = scopes[i];
      }
    }
    return best;
  }

  /** The token this node sends when it forwards a lookup, or null when auth is off. */
  public String peerToken() {
    return peerToken;
  }

  @Override
  public String toString() {
    return "AccessTokens[" + digests.length + " tokens]";
  }
}
