package dev.tessera.serving.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunMarkerTest {
  @TempDir Path state;

  @Test
  void shouldKeepLocalStateAfterACleanStop() throws Exception {
    Files.createDirectories(state.resolve("app/0_1"));
    RunMarker.claim(state, List.of("app")).close();

    RunMarker.claim(state, List.of("app")).close();

    assertThat(state.resolve("app/0_1")).isDirectory();
    assertThat(state.resolve(RunMarker.FILE)).doesNotExist();
  }

  @Test
  void shouldDeleteTheApplicationsLocalStateAfterACrash() throws Exception {
    Files.createDirectories(state.resolve("app/0_1"));
    Files.createDirectories(state.resolve("app-experiments/0_0"));
    Files.createDirectories(state.resolve("other/0_0"));
    // A crashed run: the marker is left behind, naming a process that no longer runs.
    Files.writeString(state.resolve(RunMarker.FILE), "2147483646 2026-11-22T10:00:00Z\n");

    RunMarker marker = RunMarker.claim(state, List.of("app", "app-experiments"));

    assertThat(state.resolve("app")).doesNotExist();
    assertThat(state.resolve("app-experiments")).doesNotExist();
    assertThat(state.resolve("other/0_0")).isDirectory();
    assertThat(state.resolve(RunMarker.FILE)).exists();
    marker.close();
  }

  @Test
  void shouldRefuseAStateDirThatAnotherLiveProcessUses() throws Exception {
    long other = ProcessHandle.current().parent().orElseThrow().pid();
    Files.writeString(state.resolve(RunMarker.FILE), other + " 2026-11-22T10:00:00Z\n");
    Files.createDirectories(state.resolve("app/0_1"));

    assertThatThrownBy(() -> RunMarker.claim(state, List.of("app")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("in use by process " + other);
    assertThat(state.resolve("app/0_1")).isDirectory();
  }
}
