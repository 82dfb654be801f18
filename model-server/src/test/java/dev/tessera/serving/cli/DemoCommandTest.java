package dev.tessera.serving.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

@Timeout(30)
class DemoCommandTest {

  @Test
  void shouldRefuseAHistoryTooShortForLabelsBeforeStartingAnything() {
    var err = new StringWriter();

    int code =
        new CommandLine(new TesseraCommand())
            .setErr(new PrintWriter(err, true))
            .execute("demo", "--history-days", "30");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).startsWith("Need --history-days above 60").contains("got 30, 300");
  }
}
