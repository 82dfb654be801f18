package dev.tessera.serving.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.serving.registry.ModelVersion.InputSignature;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryStateTest {
  private final RegistryState state = new RegistryState();

  private void register(String name, int number, byte[] artifact, String description) {
    List<byte[]> chunks = ArtifactStore.split(artifact, 4);
    for (int i = 0; i < chunks.size(); i++) {
      state.apply(new RegistryRecord.Chunk(name, number, i, chunks.get(i)));
    }
    state.apply(
        new RegistryRecord.Version(
            new ModelVersion(
                name,
                number,
                "churn_v1",
                InputSignature.floatMatrix(List.of("a", "b")),
                ArtifactStore.sha256(artifact),
                artifact.length,
                chunks.size(),
                description,
                Map.of(),
                Map.of(),
                null,
                null,
                "upload",
                1)));
  }

  @Test
  void shouldKeepTheFirstRecordOfAVersionNumber() {
    state.apply(new RegistryRecord.Model(new RegisteredModel("churn", "", 1)));
    register("churn", 1, new byte[] {1, 2, 3, 4, 5, 6}, "first");
    register("churn", 1, new byte[] {9, 9}, "second");

    assertThat(state.version("churn", 1).orElseThrow().description()).isEqualTo("first");
    assertThat(state.artifact("churn", 1).orElseThrow()).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(state.latestVersion("churn")).isEqualTo(1);
  }

  @Test
  void shouldReportAliasMovesAndDeletions() {
    state.apply(new RegistryRecord.Model(new RegisteredModel("churn", "", 1)));
    register("churn", 1, new byte[] {1}, "");
    register("churn", 2, new byte[] {2}, "");

    assertThat(state.apply(new RegistryRecord.Alias("churn", "champion", 1)))
        .contains(new AliasChange("churn", "champion", null, 1));
    assertThat(state.apply(new RegistryRecord.Alias("churn", "champion", 2)))
        .contains(new AliasChange("churn", "champion", 1, 2));
    assertThat(state.apply(new RegistryRecord.Alias("churn", "champion", 2))).isEmpty();
    assertThat(state.aliases("churn")).containsEntry("champion", 2);
    assertThat(state.apply(new RegistryRecord.Alias("churn", "champion", null)))
        .contains(new AliasChange("churn", "champion", 2, null));
    assertThat(state.aliases("churn")).isEmpty();
  }

  @Test
  void shouldIgnoreVersionsAndAliasesOfUnknownModels() {
    register("ghost", 1, new byte[] {1}, "");
    assertThat(state.apply(new RegistryRecord.Alias("ghost", "champion", 1))).isEmpty();
    assertThat(state.models()).isEmpty();
    assertThat(state.version("ghost", 1)).isEmpty();
  }
}
