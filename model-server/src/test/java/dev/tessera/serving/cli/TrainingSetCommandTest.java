package dev.tessera.serving.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@Timeout(60)
class TrainingSetCommandTest {
  @TempDir Path dir;

  private int run(StringWriter err, String... args) {
    return new CommandLine(new TesseraCommand())
        .setErr(new PrintWriter(err, true))
        .setExecutionExceptionHandler(TesseraCommand::explain)
        .execute(args);
  }

  @Test
  void shouldWriteATrainingSetFromLabelsAndEventFiles() throws IOException {
    Files.writeString(
        dir.resolve("orders.jsonl"),
        "{\"order_id\":\"a\",\"customer_id\":\"C-1\",\"order_ts\":\"2026-09-30T12:00:00Z\","
            + "\"order_total\":5.0,\"product_category\":\"toys\"}\n");
    Files.writeString(
        dir.resolve("labels.csv"),
        "customer_id,ts,label\nC-1,2026-09-30T11:00:00Z,0\nC-1,2026-10-01T00:00:00Z,1\n");
    Path out = dir.resolve("train.csv");

    int code =
        run(
            new StringWriter(),
            "training-set",
            "--feature-service",
            "churn_v1",
            "--labels",
            dir.resolve("labels.csv").toString(),
            "--events",
            dir.toString(),
            "--state-dir",
            dir.resolve("state").toString(),
            "--out",
            out.toString());

    assertThat(code).isZero();
    assertThat(Files.readAllLines(out))
        .containsExactly(
            "customer_id,ts,label,total_orders,orders_30d",
            "C-1,2026-09-30T11:00:00Z,0,0.0,0.0",
            "C-1,2026-10-01T00:00:00Z,1,1.0,1.0");
  }

  @Test
  void shouldSayWhatIsWrongWithoutAStackTrace() throws IOException {
    Files.writeString(dir.resolve("labels.csv"), "customer_id,ts,label\n");
    var err = new StringWriter();

    int code =
        run(
            err,
            "training-set",
            "--feature-service",
            "churn_v9",
            "--labels",
            dir.resolve("labels.csv").toString(),
            "--events",
            dir.toString(),
            "--out",
            dir.resolve("t.csv").toString());

    assertThat(code).isEqualTo(1);
    assertThat(err.toString())
        .startsWith("tessera training-set: Unknown feature service churn_v9; known: [churn_v1")
        .doesNotContain("\tat ");
  }
}
