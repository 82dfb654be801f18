package dev.tessera.serving.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tessera.features.definition.DefinitionsHash;
import dev.tessera.features.definition.ShippedFeatures;
import dev.tessera.serving.demo.world.ChurnWorld;
import dev.tessera.serving.demo.world.WorldFiles;
import dev.tessera.serving.scoring.OnnxScorer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@Timeout(120)
class TrainCommandTest {
  @TempDir Path dir;

  @Test
  void shouldTrainExportAndRecordARunFromTheDemoWorld() throws Exception {
    Path world = dir.resolve("world");
    WorldFiles.write(ChurnWorld.create(150, 100, 3, Instant.parse("2026-06-01T00:00:00Z")), world);
    Path out = dir.resolve("run");
    var err = new StringWriter();

    int code =
        new CommandLine(new TesseraCommand())
            .setErr(new PrintWriter(err, true))
            .setExecutionExceptionHandler(TesseraCommand::explain)
            .execute(
                "train",
                "--feature-service",
                "churn_v2",
                "--labels",
                world.resolve("labels.csv").toString(),
                "--events",
                world.toString(),
                "--params",
                "n_estimators=20,max_depth=3",
                "--state-dir",
                dir.resolve("state").toString(),
                "--out-dir",
                out.toString());

    assertThat(code).as(err.toString()).isZero();
    JsonNode run = new ObjectMapper().readTree(out.resolve("run.json").toFile());
    assertThat(run.get("params").get("num_round").asText()).isEqualTo("20");
    assertThat(run.get("feature_names")).hasSize(18);
    assertThat(run.get("definitions_hash").asText())
        .isEqualTo(DefinitionsHash.of(ShippedFeatures.registry(), "churn_v2"));
    assertThat(run.at("/holdout_metrics/auc").asDouble()).isBetween(0.6, 1.0);
    assertThat(run.get("data_from").asText()).endsWith("T00:00:00Z");
    try (var scorer = OnnxScorer.load(OrtEnvironment.getEnvironment(), out.resolve("model.onnx"))) {
      double[] p = scorer.score(new float[18], 1);
      assertThat(p[0]).isBetween(0.0, 1.0);
    }
  }

  @Test
  void shouldRefuseMalformedParamsBeforeReadingAnything() {
    var err = new StringWriter();

    int code =
        new CommandLine(new TesseraCommand())
            .setErr(new PrintWriter(err, true))
            .setExecutionExceptionHandler(TesseraCommand::explain)
            .execute(
                "train",
                "--feature-service",
                "churn_v2",
                "--labels",
                dir.resolve("missing.csv").toString(),
                "--params",
                "max_depth=6,eta",
                "--out-dir",
                dir.toString());

    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("Malformed XGBoost params").doesNotContain("\tat ");
  }
}
