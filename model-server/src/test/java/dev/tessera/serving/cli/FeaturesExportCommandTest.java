package dev.tessera.serving.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@Timeout(60)
class FeaturesExportCommandTest {
  private static final Instant NOW = Instant.parse("2026-10-02T00:00:00Z");

  @TempDir Path dir;

  @BeforeEach
  void events() throws IOException {
    Files.writeString(
        dir.resolve("orders.jsonl"),
        "{\"order_id\":\"a\",\"customer_id\":\"C-1\",\"order_ts\":\"2026-09-30T12:00:00Z\","
            + "\"order_total\":5.0,\"product_category\":\"toys\"}\n"
            + "{\"order_id\":\"b\",\"customer_id\":\"C-2\",\"order_ts\":\"2026-10-01T12:00:00Z\","
            + "\"order_total\":7.0,\"product_category\":\"toys\"}\n");
  }

  private int run(StringWriter err, String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--events";
    all[args.length + 1] = dir.toString();
    all[args.length + 2] = "--state-dir";
    all[args.length + 3] = dir.resolve("state").toString();
    return new CommandLine(new FeaturesExportCommand(Clock.fixed(NOW, ZoneOffset.UTC)))
        .setErr(new PrintWriter(err, true))
        .setExecutionExceptionHandler(TesseraCommand::explain)
        .execute(all);
  }

  @Test
  void shouldWriteEveryKeyOfTheViewAsOfTheInstant() throws IOException {
    Path out = dir.resolve("churn.csv");

    int code =
        run(
            new StringWriter(),
            "--view",
            "customer_churn",
            "--as-of",
            "2026-10-01T00:00:00Z",
            "--out",
            out.toString());

    assertThat(code).isZero();
    var lines = Files.readAllLines(out);
    assertThat(lines).hasSize(2); // C-2's order comes after the instant
    assertThat(lines.get(1))
        .startsWith("C-1,2026-10-01T00:00:00Z,true,2026-09-30T12:00:00Z,0.5,1.0,5.0,");
  }

  @Test
  void shouldExportAsOfNowByDefault() throws IOException {
    Path out = dir.resolve("churn.avro");

    int code = run(new StringWriter(), "--view", "customer_churn", "--out", out.toString());

    assertThat(code).isZero();
    assertThat(Files.size(out)).isPositive();
  }

  @Test
  void shouldListTheViewsForAnUnknownOne() {
    var err = new StringWriter();

    int code = run(err, "--view", "churn", "--out", dir.resolve("x.csv").toString());

    assertThat(code).isEqualTo(1);
    assertThat(err.toString())
        .startsWith(
            "tessera export: Unknown feature view churn; known: [customer_churn, customer_risk,"
                + " region_orders, user_fraud, country_transactions, user_merchant_transactions]")
        .doesNotContain("\tat ");
  }

  @Test
  void shouldRefuseAnOutputItCannotWrite() {
    var err = new StringWriter();

    int code =
        run(
            err,
            "--view",
            "customer_churn",
            "--out",
            dir.resolve("no-such-dir").resolve("x.csv").toString());

    assertThat(code).isEqualTo(1);
    assertThat(err.toString())
        .contains("Cannot write ")
        .contains("its directory does not exist or is not writable")
        .doesNotContain("\tat ");
  }

  @Test
  void shouldRefuseAMalformedOrFutureInstant() {
    var err = new StringWriter();
    var out = dir.resolve("x.csv").toString();

    assertThat(run(err, "--view", "customer_churn", "--as-of", "yesterday", "--out", out))
        .isEqualTo(1);
    assertThat(
            run(err, "--view", "customer_churn", "--as-of", "2026-10-03T00:00:00Z", "--out", out))
        .isEqualTo(1);

    assertThat(err.toString())
        .contains("--as-of yesterday is not an ISO-8601 instant such as 2026-11-01T00:00:00Z")
        .contains("--as-of 2026-10-03T00:00:00Z is in the future (now 2026-10-02T00:00:00Z)")
        .doesNotContain("\tat ");
    assertThat(dir.resolve("x.csv")).doesNotExist();
  }
}
