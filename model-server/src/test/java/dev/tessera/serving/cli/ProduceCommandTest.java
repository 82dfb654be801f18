package dev.tessera.serving.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.serving.demo.world.ChurnWorld;
import dev.tessera.serving.demo.world.WorldFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class ProduceCommandTest {
  private static final String END = "2026-06-01T00:00:00Z";

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void shouldWriteTheChurnWorldToFiles() {
    int exit =
        run(
            "--world",
            "churn",
            "--customers",
            "30",
            "--days",
            "75",
            "--seed",
            "3",
            "--end",
            END,
            "--out",
            dir.toString());

    assertThat(exit).as(err.toString()).isZero();
    ChurnWorld expected = ChurnWorld.create(30, 75, 3, Instant.parse(END));
    WorldFiles.Contents files = WorldFiles.read(dir);
    assertThat(files.orders()).isEqualTo(expected.orders());
    assertThat(files.clicks()).isEqualTo(expected.clicks());
    assertThat(files.labels()).isEqualTo(expected.labels()).isNotEmpty();
    assertThat(out.toString())
        .contains("World churn: 30 customers, 75 days")
        .contains("Labels:  " + expected.labels().size())
        .contains(
            "Wrote customers.jsonl, orders.jsonl, clicks.jsonl, outcomes.jsonl and labels.csv");
  }

  @Test
  void shouldWriteIdenticalFilesForTheSameSeed() throws IOException {
    Path first = dir.resolve("first");
    Path second = dir.resolve("second");
    String[] args = {"--world", "churn", "--customers", "20", "--days", "70", "--end", END};

    assertThat(run(concat(args, "--out", first.toString()))).isZero();
    assertThat(run(concat(args, "--out", second.toString()))).isZero();

    for (String file :
        List.of(
            "customers.jsonl", "orders.jsonl", "clicks.jsonl", "outcomes.jsonl", "labels.csv")) {
      assertThat(Files.readAllBytes(second.resolve(file)))
          .as(file)
          .isEqualTo(Files.readAllBytes(first.resolve(file)));
    }
  }

  @Test
  void shouldAppendCountLiveEventsToTheFiles() {
    int exit =
        run(
            "--world",
            "churn",
            "--customers",
            "20",
            "--days",
            "70",
            "--end",
            END,
            "--out",
            dir.toString(),
            "--count",
            "40",
            "--rate",
            "2");

    assertThat(exit).as(err.toString()).isZero();
    ChurnWorld world = ChurnWorld.create(20, 70, 42, Instant.parse(END));
    WorldFiles.Contents files = WorldFiles.read(dir);
    assertThat(files.orders().size() + files.clicks().size())
        .isEqualTo(world.orders().size() + world.clicks().size() + 40);
    assertThat(out.toString()).contains("Live:    40 events from " + END);
  }

  @Test
  void shouldSayWhenTheHistoryIsTooShortForLabels() {
    int exit =
        run(
            "--world",
            "churn",
            "--customers",
            "5",
            "--days",
            "30",
            "--end",
            END,
            "--out",
            dir.toString());

    assertThat(exit).isZero();
    assertThat(out.toString()).contains("Labels:  none").contains("--days 61 or more");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--world mars                          | expected one of [churn, fraud]",
        "--world churn --customers 0           | --customers must be at least 1, got 0",
        "--world churn --customers many        | Invalid value for option '--customers'",
        "--world churn --days 0                | --days must be at least 1, got 0",
        "--world churn --rate -1               | --rate must be a number >= 0, got -1.0",
        "--world churn --rate NaN              | --rate must be a number >= 0, got NaN",
        "--world churn --count -5              | --count must be >= 0, got -5",
        "--world churn --end yesterday         | Invalid value for option '--end'",
        "--world churn --history-days 5        | --history-days is for demo orders; with --world use --days",
        "--world churn --out x --count 5 --rate 0 | --count live events need a --rate > 0",
        "--days 30                             | --days needs --world churn",
        "--out world                           | --out needs --world churn",
        "--end 2026-06-01T00:00:00Z            | --end needs --world churn",
        "--history-days -1                     | --history-days must be >= 0, got -1",
      })
  void shouldRejectBadValuesWithAClearMessage(String args, String message) {
    int exit = run(args.trim().split("\\s+"));

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains(message).contains("Usage: tessera produce");
  }

  @Test
  void shouldDescribeTheWorldOptionsInTheUsage() {
    int exit = run("--help");

    assertThat(exit).isZero();
    assertThat(out.toString())
        .contains("--world=NAME")
        .contains("churn")
        .contains("--days=DAYS")
        .contains("--out=DIR")
        .contains("--end=INSTANT")
        .contains("--history-days=DAYS")
        .contains("--rate=")
        .contains("--count=")
        .contains("docs/DEMO-WORLD.md")
        .contains("about 3% of them");
  }

  private int run(String... args) {
    var command = new CommandLine(new TesseraCommand());
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    return command.execute(concat(new String[] {"produce"}, args));
  }

  private static String[] concat(String[] first, String... more) {
    var all = new ArrayList<>(List.of(first));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }
}
