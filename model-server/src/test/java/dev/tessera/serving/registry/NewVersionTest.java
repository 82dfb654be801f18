package dev.tessera.serving.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.serving.training.TrainingRun;
import org.junit.jupiter.api.Test;

class NewVersionTest {
  private static final String RUN =
      "{\"model_name\":\"churn\",\"flavour\":\"xgboost\",\"feature_names\":[],"
          + "\"params\":{\"max_depth\":\"6\"},\"seed\":42,\"holdout_metrics\":{\"rows\":400,"
          + "\"positives\":191,\"auc\":0.81,\"threshold\":0.5,\"precision\":0.73,"
          + "\"recall\":0.66,\"accuracy\":0.72,\"log_loss\":0.56},\"train_rows\":1600,"
          + "\"train_positives\":766,\"holdout_rows\":400,\"holdout_positives\":191,"
          + "\"data_from\":\"2026-01-01T00:00:00Z\",\"data_to\":\"2026-01-02T09:19:00Z\","
          + "\"definitions_hash\":\"sha256:9f2c\",\"created_at\":\"2026-11-22T10:15:30Z\"}";

  @Test
  void shouldKeepTheRunsDefinitionsHashAsAParam() throws Exception {
    TrainingRun run = new ObjectMapper().readValue(RUN, TrainingRun.class);

    NewVersion v = NewVersion.trained("churn", "churn_v2", new byte[] {1}, null, run, "m.onnx");

    assertThat(v.params())
        .containsEntry("max_depth", "6")
        .containsEntry(NewVersion.DEFINITIONS_HASH, "sha256:9f2c");
  }

  @Test
  void shouldHaveNoDefinitionsHashWithoutARun() {
    NewVersion v = NewVersion.trained("churn", "churn_v2", new byte[] {1}, null, null, "m.onnx");

    assertThat(v.params()).doesNotContainKey(NewVersion.DEFINITIONS_HASH);
  }
}
