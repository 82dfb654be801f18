package dev.tessera.serving.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Java program run in its own process on the test's classpath, so that a test can kill it with
 * SIGKILL ({@link #kill()}) as a crash would, and start it again with the same command.
 *
 * <pre>{@code
 * var broker = ChildJvm.of("broker-1", dir.resolve("broker-1.log"), List.of("-Xmx512m"),
 *     "kafka.Kafka", List.of("server.properties")).start();
 * broker.kill();   // SIGKILL
 * broker.start();  // same command, output appended to the same log
 * }</pre>
 */
public final class ChildJvm implements AutoCloseable {
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private final String name;
  private final Path log;
  private final List<String> command;
  private Process process;
  private long logStart;

  private ChildJvm(String name, Path log, List<String> command) {
    this.name = name;
    this.log = log;
    this.command = List.copyOf(command);
  }

  public static ChildJvm of(
      String name, Path log, List<String> jvmOptions, String mainClass, List<String> args) {
    var command = new ArrayList<String>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    // Under Failsafe this is a manifest-only jar whose Class-Path names the test classpath.
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    return new ChildJvm(name, log, command);
  }

  /** Starts the process; its output is appended to the log. */
  public synchronized ChildJvm start() {
    if (alive()) {
      throw new IllegalStateException(name + " is already running");
    }
    try {
      Files.createDirectories(log.getParent());
      logStart = Files.exists(log) ? Files.size(log) : 0;
      var builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder.environment().put("ORT_DISABLE_TELEMETRY", "1");
      process = builder.start();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start " + name, e);
    }
  }

  /** Runs the program to its end and returns its exit code. */
  public int runToEnd(Duration timeout) {
    start();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        kill();
        throw new IllegalStateException(name + " did not end within " + timeout + ": " + tail());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for " + name, e);
    }
  }

  public synchronized boolean alive() {
    return process != null && process.isAlive();
  }

  /** SIGKILL, as a crash or an OOM killer would: no shutdown hook runs. */
  public synchronized void kill() {
    if (process != null) {
      process.destroyForcibly();
      awaitExit(process);
    }
  }

  /** SIGTERM, then SIGKILL if it has not ended within 30 s. */
  @Override
  public synchronized void close() {
    if (process != null && process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          kill();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        kill();
      }
    }
  }

  /** The last lines of the log, for failure messages. */
  public String tail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return name
          + " log ("
          + log
          + "):\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return name + " log unreadable: " + e;
    }
  }

  /** What the process has written since it was last started. */
  public synchronized String outputOfLastStart() {
    try {
      byte[] all = Files.readAllBytes(log);
      int from = (int) Math.min(logStart, all.length);
      return new String(all, from, all.length - from, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  public String name() {
    return name;
  }

  private static void awaitExit(Process p) {
    try {
      if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("Process " + p.pid() + " survived SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
