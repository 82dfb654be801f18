package dev.tessera.features.definition;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;

/**
 * A fingerprint of the definitions a feature service's values come from: SHA-256 over the service
 * and every view of the registry, in name order. A model records it when it is trained; a serving
 * node whose definitions hash differently serves values computed by other rules (training/serving
 * skew by definition). Catalog metadata (description, owner, tags, start) is left out: it changes
 * no value (see {@link FeatureView#valueRules()}).
 *
 * <pre>{@code
 * String hash = DefinitionsHash.of(registry, "churn_v2"); // "sha256:9f2c..."
 * }</pre>
 */
public final class DefinitionsHash {
  private DefinitionsHash() {}

  public static String of(FeatureRegistry registry, String serviceName) {
    FeatureService service =
        registry
            .service(serviceName)
            .orElseThrow(
                () -> new IllegalArgumentException("Unknown feature service " + serviceName));
    var text = new StringBuilder(service.toString());
    // Every view, not only the service's own: related features read other views.
    registry.views().stream()
        .sorted(Comparator.comparing(FeatureView::name))
        .forEach(v -> text.append('\n').append(v.valueRules()));
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(text.toString().getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every JVM has SHA-256", e);
    }
  }
}
