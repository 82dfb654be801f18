package dev.tessera.features.definition.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.definition.FeatureView;
import dev.tessera.features.definition.SourceDeclaration;
import dev.tessera.features.definition.SourceDeclaration.KeyFrom;
import dev.tessera.features.definition.SourceDeclaration.TimeUnit;
import dev.tessera.schemas.topic.TopicCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Entities and sources declared in the definition file, and the errors they are refused with. */
class DeclaredSourcesDefinitionTest {
  private static final Map<String, Schema> SCHEMAS =
      DefinitionFile.eventSchemas(TopicCatalog.defaults());
  private static final String SOURCE = "fraud.yaml";

  private static final String HEAD =
      """
      entities:
        - {name: user_merchant, keys: [user_id, merchant]}
      sources:
        - name: transactions
          fields:
            - {name: user_id, path: user.id}
            - {name: merchant, path: merchant.name}
            - {name: amount, type: double}
          time: {path: ts, unit: epoch_s}
      """;

  private static final String VIEW =
      """
      views:
        - name: pairs
          entity: user_merchant
          sources: [transactions]
          features:
            - {name: n_1d, source: transactions, aggregation: count, window: 1d}
      """;

  private static FeatureRegistry parse(String text) {
    return DefinitionFile.parse(text, SOURCE, SCHEMAS);
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(
      String text, int line) {
    return assertThatThrownBy(() -> parse(text))
        .isInstanceOf(DefinitionException.class)
        .hasMessageStartingWith(SOURCE + ":" + line + ": ");
  }

  @Test
  void shouldReadAViewOfACompositeEntityOverADeclaredJsonSource() {
    FeatureView view = parse(HEAD + VIEW).view("pairs").orElseThrow();

    assertThat(view.entity()).isEqualTo("user_merchant");
    assertThat(view.keys()).containsExactly("user_id", "merchant");
    SourceDeclaration source = view.sources().get(0).declaration();
    assertThat(source.topic()).isEqualTo("transactions");
    assertThat(source.keyFrom()).isEqualTo(KeyFrom.VALUE);
    assertThat(source.time().unit()).isEqualTo(TimeUnit.EPOCH_S);
    assertThat(source.field("user_id").orElseThrow().path()).containsExactly("user", "id");
    assertThat(view.sources().get(0).keys()).containsExactly("user_id", "merchant");
  }

  @Test
  void shouldKeepTheHashOfAViewWithoutDeclarations() {
    FeatureView plain =
        parse(
                """
                views:
                  - name: v
                    entity: customer_id
                    sources: [{topic: orders, key: customer_id, time: order_ts}]
                    features:
                      - {name: n, source: orders, aggregation: count, window: lifetime}
                """)
            .view("v")
            .orElseThrow();

    assertThat(plain.valueRules()).doesNotContain("keys=").doesNotContain("SourceDeclaration");
  }

  @Test
  void shouldRefuseAViewOfAnUndeclaredSource() {
    assertRejected(HEAD + VIEW.replace("[transactions]", "[payments]"), 13)
        .hasMessageContaining("reads source 'payments', which is not declared under sources:");
  }

  @Test
  void shouldRefuseAnEntityKeyTheSourceDoesNotDeclare() {
    assertRejected(HEAD.replace("{name: merchant, path: merchant.name}", "{name: shop}") + VIEW, 13)
        .hasMessageContaining("source transactions declares no field merchant");
  }

  @Test
  void shouldRefuseARecordKeyForAnEntityWithSeveralKeys() {
    assertRejected(
            HEAD.replace("  - name: transactions\n", "  - name: transactions\n    key: record\n")
                + VIEW,
            14)
        .hasMessageContaining("has several key fields; use key: value");
  }

  @Test
  void shouldRefuseBadSourceDeclarationsWithTheirLine() {
    assertRejected(HEAD.replace("unit: epoch_s", "unit: fortnights") + VIEW, 9)
        .hasMessageContaining("unknown time unit 'fortnights'")
        .hasMessageContaining("epoch_ms, epoch_s, iso8601");
    assertRejected(HEAD.replace("type: double", "type: money") + VIEW, 8)
        .hasMessageContaining("unknown type 'money'");
    assertRejected(
            HEAD.replace("  - name: transactions\n", "  - name: transactions\n    format: avro\n")
                + VIEW,
            4)
        .hasMessageContaining("has format avro and needs schema:");
    assertRejected(HEAD.replace("path: merchant.name", "path: user") + VIEW, 4)
        .hasMessageContaining("reads user and also user.id");
    assertRejected(HEAD.replace("  - name: transactions\n", "  - name: orders\n") + VIEW, 4)
        .hasMessageContaining("has the name of a built-in topic");
  }

  @Test
  void shouldResolveAvroPathsInTheSchemaFileNextToTheDefinitionFile(@TempDir Path dir)
      throws IOException {
    Files.writeString(
        dir.resolve("Payment.avsc"),
        """
        {"type": "record", "name": "Payment", "fields": [
          {"name": "user", "type": {"type": "record", "name": "User", "fields": [
            {"name": "id", "type": "string"}]}},
          {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-millis"}}]}""");
    String avro =
        """
        sources:
          - name: payments
            format: avro
            schema: Payment.avsc
            fields:
              - {name: user_id, path: user.%s}
            time: {path: ts, unit: epoch_ms}
        views:
          - name: users
            entity: user_id
            sources: [payments]
            features:
              - {name: n, source: payments, aggregation: count, window: lifetime}
        """;
    Path ok = dir.resolve("ok.yaml");
    Files.writeString(ok, avro.formatted("id"));
    assertThat(DefinitionFile.load(ok, SCHEMAS).view("users").orElseThrow().keys())
        .isEqualTo(List.of("user_id"));

    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, avro.formatted("name"));
    assertThatThrownBy(() -> DefinitionFile.load(bad, SCHEMAS))
        .isInstanceOf(DefinitionException.class)
        .hasMessageStartingWith(bad + ":2: ")
        .hasMessageContaining("path user.name: User has no field name; it has id");
  }
}
