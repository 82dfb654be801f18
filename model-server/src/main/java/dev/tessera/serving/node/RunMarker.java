package dev.tessera.serving.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file in the state dir that exists while a node runs and is removed when it stops cleanly. Found
 * at start, it means the last run crashed (SIGKILL, OOM, power loss): the local state of the node's
 * Streams applications is then deleted so that every store is restored from its changelog.
 *
 * <p>Why: under exactly-once a crashed task's stores have no checkpoint and are wiped and restored
 * anyway, but Kafka Streams 4.3.1 first reopens them in place at start ("store offsets for existing
 * local state"); the task then failed to open its window segments again ({@code RocksDBException:
 * lock hold by current process}) and the node never became ready ({@code ClusterFaultIT}).
 *
 * <pre>{@code
 * try (RunMarker marker = RunMarker.claim(stateDir, List.of("tessera", "tessera-experiments"))) {
 *   // start Kafka Streams ...
 * }
 * }</pre>
 */
final class RunMarker implements AutoCloseable {
  static final String FILE = ".tessera-running";
  private static final Logger log = LoggerFactory.getLogger(RunMarker.class);

  private final Path marker;

  private RunMarker(Path marker) {
    this.marker = marker;
  }

  /**
   * Claims {@code stateDir} for this run, first deleting the local state of {@code applicationIds}
   * if the last run did not stop cleanly.
   */
  static RunMarker claim(Path stateDir, List<String> applicationIds) {
    Path marker = stateDir.resolve(FILE);
    try {
      if (Files.exists(marker)) {
        long owner = ownerPid(marker);
        if (owner != ProcessHandle.current().pid()
            && ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false)) {
          throw new IllegalStateException(
              "State dir "
                  + stateDir
                  + " is in use by process "
                  + owner
                  + ": give each node its own");
        }
        log.warn(
            "The last run on {} did not stop cleanly; deleting the local state of {} so that"
                + " every store is restored from its changelog",
            stateDir,
            applicationIds);
        for (String id : applicationIds) {
          Directories.deleteRecursively(stateDir.resolve(id));
        }
      }
      Files.createDirectories(stateDir);
      Files.writeString(marker, ProcessHandle.current().pid() + " " + Instant.now() + "\n");
      return new RunMarker(marker);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not prepare state dir " + stateDir, e);
    }
  }

  /** Removes the marker: call it after every store is closed. */
  @Override
  public void close() throws IOException {
    Files.deleteIfExists(marker);
  }

  /** The pid written in the marker, or -1 if it cannot be read. */
  private static long ownerPid(Path marker) throws IOException {
    String text = Files.readString(marker).trim();
    int space = text.indexOf(' ');
    try {
      return Long.parseLong(space < 0 ? text : text.substring(0, space));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public String toString() {
    return "run marker " + marker;
  }
}
