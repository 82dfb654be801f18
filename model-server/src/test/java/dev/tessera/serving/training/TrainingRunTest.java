package dev.tessera.serving.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingRunTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TrainingSet DATA = SyntheticData.generate(400, 8L);
  private static final XgboostTrainer.Result RESULT =
      XgboostTrainer.train(DATA, XgboostParams.parse("n_estimators=5,max_depth=3"), 99L);
  private static final Instant CREATED = Instant.parse("2026-11-22T10:15:30.250Z");
  private static final ClassifierMetrics METRICS =
      new ClassifierMetrics(10, 4, 0.8, 0.5, 0.75, 0.75, 0.8, 0.4);

  @Test
  void shouldRecordTheTrainerResultAndDatasetRange() {
    TrainingRun run = TrainingRun.of("churn_model", RESULT, DATA, "sha256:abc", CREATED);

    assertThat(run.modelName()).isEqualTo("churn_model");
    assertThat(run.flavour()).isEqualTo("xgboost");
    assertThat(run.featureNames()).isEqualTo(DATA.columns());
    assertThat(run.params()).isEqualTo(RESULT.params()).containsEntry("num_round", "5");
    assertThat(run.seed()).isEqualTo(99L);
    assertThat(run.holdoutMetrics()).isEqualTo(RESULT.holdoutMetrics());
    assertThat(run.trainRows() + run.holdoutRows()).isEqualTo(400);
    assertThat(run.trainPositives() + run.holdoutPositives()).isEqualTo(DATA.positives());
    // SyntheticData stamps row i at 2026-01-01T00:00Z plus i minutes.
    assertThat(run.dataFrom()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(run.dataTo()).isEqualTo(Instant.parse("2026-01-01T06:39:00Z"));
    assertThat(run.definitionsHash()).isEqualTo("sha256:abc");
    assertThat(run.createdAt()).isEqualTo(CREATED);
  }

  @Test
  void shouldRoundTripThroughJsonWithAPlainObjectMapper() throws Exception {
    TrainingRun run = TrainingRun.of("churn_model", RESULT, DATA, "sha256:abc", CREATED);

    TrainingRun back = JSON.readValue(JSON.writeValueAsBytes(run), TrainingRun.class);

    assertThat(back).isEqualTo(run);
  }

  @Test
  void shouldWriteSnakeCaseNamesAndIsoInstants() throws Exception {
    TrainingRun run = TrainingRun.of("churn_model", RESULT, DATA, "sha256:abc", CREATED);

    JsonNode json = JSON.readTree(JSON.writeValueAsBytes(run));

    assertThat(json.get("model_name").asText()).isEqualTo("churn_model");
    assertThat(json.get("created_at").asText()).isEqualTo("2026-11-22T10:15:30.250Z");
    assertThat(json.get("data_from").asText()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(json.get("definitions_hash").asText()).isEqualTo("sha256:abc");
    assertThat(json.get("holdout_metrics").get("log_loss").isDouble()).isTrue();
    // Sorted by key, so the same run always serialises to the same bytes.
    assertThat(json.get("params").fieldNames())
        .toIterable()
        .containsExactly("max_depth", "nthread", "num_round", "objective", "tree_method");
  }

  @Test
  void shouldLeaveTheRangeEmptyWithoutTimestamps() throws Exception {
    TrainingSet untimed = new TrainingSet(DATA.columns(), DATA.values(), DATA.labels(), null);
    TrainingRun run = TrainingRun.of("churn_model", RESULT, untimed, "h", CREATED);

    String json = JSON.writeValueAsString(run);

    assertThat(run.dataFrom()).isNull();
    assertThat(run.dataTo()).isNull();
    assertThat(json).contains("\"data_from\":null", "\"data_to\":null");
    assertThat(JSON.readValue(json, TrainingRun.class)).isEqualTo(run);
  }

  @Test
  void shouldProfileTheTrainingDataAndTheHoldoutScores() {
    TrainingRun run = TrainingRun.of("churn_model", RESULT, DATA, "sha256:abc", CREATED);

    TrainingProfile profile = run.trainingProfile();
    assertThat(profile.rows()).isEqualTo(400);
    assertThat(profile.features())
        .extracting(TrainingProfile.Reference::name)
        .isEqualTo(DATA.columns());
    for (TrainingProfile.Reference f : profile.features()) {
      assertThat(f.counts()).hasSizeLessThanOrEqualTo(TrainingProfile.BINS);
      long binned = f.counts().stream().mapToLong(Long::longValue).sum();
      // SyntheticData leaves some values missing (NaN): those are out of the bins.
      assertThat(binned).isEqualTo(Math.round(400 * (1 - f.missingRate())));
    }
    assertThat(profile.score().counts().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(RESULT.holdoutRows());
  }

  @Test
  void shouldReadARecordWrittenBeforeProfilesExisted() throws Exception {
    String json =
        "{\"model_name\":\"m\",\"flavour\":\"xgboost\",\"feature_names\":[\"a\"],\"params\":{},"
            + "\"seed\":1,\"holdout_metrics\":{\"rows\":1,\"positives\":1,\"auc\":1,"
            + "\"threshold\":0.5,\"precision\":1,\"recall\":1,\"accuracy\":1,\"log_loss\":0},"
            + "\"train_rows\":1,\"train_positives\":1,\"holdout_rows\":1,\"holdout_positives\":1,"
            + "\"definitions_hash\":\"h\",\"created_at\":\"2026-01-01T00:00:00Z\"}";

    assertThat(JSON.readValue(json, TrainingRun.class).trainingProfile()).isNull();
  }

  @Test
  void shouldRefuseAnUnreadableInstant() {
    String json =
        "{\"model_name\":\"m\",\"flavour\":\"xgboost\",\"feature_names\":[\"a\"],\"params\":{},"
            + "\"seed\":1,\"holdout_metrics\":{\"rows\":1,\"positives\":1,\"auc\":1,"
            + "\"threshold\":0.5,\"precision\":1,\"recall\":1,\"accuracy\":1,\"log_loss\":0},"
            + "\"train_rows\":1,\"train_positives\":1,\"holdout_rows\":1,\"holdout_positives\":1,"
            + "\"definitions_hash\":\"h\",\"created_at\":\"yesterday\"}";

    assertThatThrownBy(() -> JSON.readValue(json, TrainingRun.class))
        .isInstanceOf(InvalidFormatException.class)
        .hasMessageContaining("yesterday")
        .hasMessageContaining("expected an ISO-8601 instant");
  }

  @Test
  void shouldRefuseInconsistentRecords() {
    assertThatThrownBy(() -> run(" ", 5, 2, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("modelName must be non-blank, got  ");
    assertThatThrownBy(() -> run("m", 5, 6, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Counts out of range: 6 positives in 5 training rows, 1 in 2 held-out rows");
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    assertThatThrownBy(() -> run("m", 5, 2, t, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("The dataset range must be both ends or neither, in order");
    assertThatThrownBy(() -> run("m", 5, 2, t.plusSeconds(1), t))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2026-01-01T00:00:01Z .. 2026-01-01T00:00:00Z");
  }

  private static TrainingRun run(
      String name, int trainRows, int trainPositives, Instant from, Instant to) {
    return new TrainingRun(
        name,
        TrainingRun.XGBOOST,
        List.of("a"),
        Map.of(),
        1L,
        METRICS,
        trainRows,
        trainPositives,
        2,
        1,
        from,
        to,
        "h",
        CREATED,
        null);
  }
}
