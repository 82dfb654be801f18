package dev.tessera.serving.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class NodeOptionsTest {
  private static Map<String, String> settingsOf(String... args) {
    var options = new NodeOptions();
    new CommandLine(options).parseArgs(args);
    return options.settings();
  }

  @Test
  void shouldKeepKeysGivenWithDashDWhenTheirOwnFlagIsNotGiven() {
    Map<String, String> settings =
        settingsOf(
            "-D", "bootstrap.servers=10.0.0.1:9093", "-D", "http.port=8181", "-D", "state.dir=/s");

    assertThat(settings)
        .containsEntry("bootstrap.servers", "10.0.0.1:9093")
        .containsEntry("http.port", "8181")
        .containsEntry("state.dir", "/s");
  }

  @Test
  void shouldLetTheFlagWinOverTheSameKeyGivenWithDashD() {
    Map<String, String> settings =
        settingsOf("-D", "bootstrap.servers=a:1", "--bootstrap-servers", "b:2");

    assertThat(settings).containsEntry("bootstrap.servers", "b:2");
  }
}
