package dev.tessera.serving.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.serving.registry.ModelVersion.InputSignature;
import dev.tessera.serving.training.TrainingProfile;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryRecordTest {
  static ModelVersion version(String name, int number) {
    return new ModelVersion(
        name,
        number,
        "churn_v1",
        InputSignature.floatMatrix(List.of("customer_churn.total_orders", "customer_churn.x")),
        "a".repeat(64),
        1234,
        1,
        "first",
        Map.of("eta", "0.1"),
        Map.of("auc", 0.81),
        "2026-01-01T00:00:00Z",
        "2026-02-01T00:00:00Z",
        "model.onnx",
        1_700_000_000_000L);
  }

  @Test
  void shouldRoundTripEveryRecordKind() {
    List<RegistryRecord> records =
        List.of(
            new RegistryRecord.Model(new RegisteredModel("churn", "the churn model", 42L)),
            new RegistryRecord.Version(version("churn", 3)),
            new RegistryRecord.Chunk("churn", 3, 0, new byte[] {1, 2, 3}),
            new RegistryRecord.Alias("churn", "champion", 3),
            new RegistryRecord.Alias("churn", "champion", null));
    for (RegistryRecord record : records) {
      assertThat(RegistryRecord.decode(record.key(), record.value())).isEqualTo(record);
    }
  }

  @Test
  void shouldUseTheDocumentedKeysAndJson() {
    assertThat(new RegistryRecord.Version(version("churn", 3)).key()).isEqualTo("version/churn/3");
    assertThat(new RegistryRecord.Chunk("churn", 3, 7, new byte[0]).key())
        .isEqualTo("chunk/churn/3/7");
    var alias = new RegistryRecord.Alias("churn", "champion", 2);
    assertThat(alias.key()).isEqualTo("alias/churn/champion");
    assertThat(new String(alias.value(), StandardCharsets.UTF_8)).isEqualTo("{\"version\":2}");
    assertThat(new RegistryRecord.Alias("churn", "champion", null).value()).isNull();
    String json =
        new String(new RegistryRecord.Version(version("churn", 3)).value(), StandardCharsets.UTF_8);
    assertThat(json)
        .contains("\"feature_service\":\"churn_v1\"", "\"artifact_sha256\":", "\"data_from\":");
  }

  @Test
  void shouldCarryATrainingProfileAndReadOlderVersionsWithout() {
    ModelVersion plain = version("churn", 3);
    var profile =
        new TrainingProfile(
            100,
            List.of(
                new TrainingProfile.Reference(
                    "total_orders", List.of(1.0, 4.0), List.of(30L, 40L, 30L), 0.25)),
            new TrainingProfile.Reference("score", List.of(0.5), List.of(60L, 40L), 0));
    var profiled =
        new ModelVersion(
            plain.name(),
            plain.version(),
            plain.featureService(),
            plain.inputSignature(),
            plain.artifactSha256(),
            plain.artifactSize(),
            plain.chunkCount(),
            plain.description(),
            plain.params(),
            plain.metrics(),
            plain.dataFrom(),
            plain.dataTo(),
            plain.source(),
            plain.creationTimestamp(),
            profile);
    var record = new RegistryRecord.Version(profiled);

    assertThat(RegistryRecord.decode(record.key(), record.value())).isEqualTo(record);
    assertThat(new String(record.value(), StandardCharsets.UTF_8))
        .contains(
            "\"training_profile\":{\"rows\":100,\"features\":[{\"name\":\"total_orders\","
                + "\"upper_edges\":[1.0,4.0],\"counts\":[30,40,30],\"missing_rate\":0.25}]");
    // A record written before profiles existed has no such field.
    String older =
        new String(new RegistryRecord.Version(plain).value(), StandardCharsets.UTF_8)
            .replace(",\"training_profile\":null", "");
    assertThat(older).doesNotContain("training_profile");
    var decoded =
        (RegistryRecord.Version)
            RegistryRecord.decode(record.key(), older.getBytes(StandardCharsets.UTF_8));
    assertThat(decoded.version().trainingProfile()).isNull();
    assertThat(decoded.version()).isEqualTo(plain);
  }

  @Test
  void shouldIgnoreUnknownFieldsSoNewerWritersStayReadable() {
    byte[] value =
        "{\"name\":\"churn\",\"description\":\"\",\"creation_timestamp\":1,\"owner\":\"ann\"}"
            .getBytes(StandardCharsets.UTF_8);
    assertThat(RegistryRecord.decode("model/churn", value))
        .isEqualTo(new RegistryRecord.Model(new RegisteredModel("churn", "", 1)));
  }

  @Test
  void shouldRefuseUnknownKeysAndBadValues() {
    assertThatThrownBy(() -> RegistryRecord.decode("endpoint/churn", new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unknown registry record key endpoint/churn");
    assertThatThrownBy(() -> RegistryRecord.decode("version/churn/1", "{".getBytes()))
        .hasMessageContaining("Unreadable registry record version/churn/1");
    assertThatThrownBy(() -> RegistryRecord.decode("model/churn", null))
        .hasMessageContaining("only aliases can be deleted");
  }

  @Test
  void shouldRefuseNamesThatWouldBreakTheKeys() {
    assertThatThrownBy(() -> new RegistryRecord.Alias("churn", "a/b", 1))
        .hasMessageContaining("Invalid alias 'a/b'");
    assertThatThrownBy(() -> new RegisteredModel("../etc", "", 1))
        .hasMessageContaining("Invalid model name '../etc'");
    assertThat(RegistryRecord.checkName("churn_model-2.1", "model name"))
        .isEqualTo("churn_model-2.1");
  }

  @Test
  void shouldRefuseAHalfOpenTrainingRange() {
    assertThatThrownBy(
            () ->
                new ModelVersion(
                    "churn",
                    1,
                    "churn_v1",
                    InputSignature.floatMatrix(List.of("a")),
                    "b".repeat(64),
                    1,
                    1,
                    null,
                    null,
                    null,
                    "2026-01-01T00:00:00Z",
                    null,
                    null,
                    1))
        .hasMessageContaining("both ends or neither");
  }
}
