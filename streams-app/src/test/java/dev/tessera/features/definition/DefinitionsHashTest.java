package dev.tessera.features.definition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.features.definition.file.DefinitionFile;
import dev.tessera.schemas.topic.TopicCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DefinitionsHashTest {

  private static String shipped() throws IOException {
    try (InputStream in =
        DefinitionFile.class.getResourceAsStream(DefinitionFile.SHIPPED_RESOURCE)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String hash(String yaml, String service) {
    return DefinitionsHash.of(
        DefinitionFile.parse(
            yaml, "features.yaml", DefinitionFile.eventSchemas(TopicCatalog.defaults())),
        service);
  }

  @Test
  void shouldHashEqualDefinitionsAlike() throws IOException {
    String yaml = shipped();

    assertThat(hash(yaml, "churn_v2"))
        .startsWith("sha256:")
        .hasSize(71)
        .isEqualTo(hash(yaml, "churn_v2"));
    assertThat(hash(yaml, "churn_v2"))
        .isEqualTo(DefinitionsHash.of(ShippedFeatures.registry(), "churn_v2"));
    assertThat(hash(yaml, "churn_v1")).isNotEqualTo(hash(yaml, "churn_v2"));
  }

  @Test
  void shouldChangeWhenAFeatureRuleChanges() throws IOException {
    String yaml = shipped();
    String longer =
        yaml.replace(
            "{name: orders_30d, source: orders, aggregation: count, window: 30d}",
            "{name: orders_30d, source: orders, aggregation: count, window: 31d}");

    assertThat(longer).isNotEqualTo(yaml);
    assertThat(hash(longer, "churn_v2")).isNotEqualTo(hash(yaml, "churn_v2"));
  }

  @Test
  void shouldIgnoreCatalogMetadataButNotAWindow() throws IOException {
    String yaml = shipped();
    String documented =
        yaml.replace("owner: growth-ml", "owner: someone-else")
            .replace("tags: [churn, orders, clicks, profile]", "tags: [pii]")
            .replace("description: Churn signals per customer", "description: Other words")
            .replaceFirst("start: 2026-01-01", "start: 2020-05-05");
    String longer =
        documented.replace(
            "{name: orders_30d, source: orders, aggregation: count, window: 30d}",
            "{name: orders_30d, source: orders, aggregation: count, window: 7d}");

    assertThat(documented).isNotEqualTo(yaml);
    assertThat(hash(documented, "churn_v2")).isEqualTo(hash(yaml, "churn_v2"));
    assertThat(hash(longer, "churn_v2")).isNotEqualTo(hash(yaml, "churn_v2"));
  }
}
