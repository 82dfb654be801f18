package dev.tessera.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** What the figures were measured on, read from {@code /proc} (Linux) and the JVM. */
final class Machine {
  private Machine() {}

  /** The 1-minute load average, or -1 where {@code /proc/loadavg} does not exist. */
  static double loadAverage() {
    List<String> lines = lines("/proc/loadavg");
    return lines.isEmpty() ? -1 : Double.parseDouble(lines.get(0).split(" ")[0]);
  }

  static String describe() {
    long memKb = 0;
    for (String line : lines("/proc/meminfo")) {
      if (line.startsWith("MemTotal:")) {
        memKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    String cpu =
        lines("/proc/cpuinfo").stream()
            .filter(l -> l.startsWith("model name"))
            .map(l -> l.substring(l.indexOf(':') + 1).strip())
            .findFirst()
            .orElse("unknown CPU");
    return String.format(
        Locale.ROOT,
        "%d cores (`nproc`), %s, %.1f GiB RAM",
        Runtime.getRuntime().availableProcessors(),
        cpu,
        memKb / 1024.0 / 1024.0);
  }

  static String java() {
    return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
  }

  private static List<String> lines(String file) {
    try {
      return Files.readAllLines(Path.of(file));
    } catch (IOException e) {
      return List.of();
    }
  }
}
