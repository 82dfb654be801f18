package dev.tessera.serving.cli;

import dev.tessera.features.offline.ProgressListener;
import java.io.PrintStream;

/** A one-line progress bar on a terminal stream, redrawn at most once per percent. */
final class ProgressBar implements ProgressListener {
  private static final int WIDTH = 30;
  private final PrintStream out;
  private final String label;
  private int lastPercent = -1;

  ProgressBar(PrintStream out, String label) {
    this.out = out;
    this.label = label;
  }

  @Override
  public void progress(long done, long total) {
    int percent = total == 0 ? 100 : (int) (100 * done / total);
    if (percent == lastPercent) {
      return;
    }
    lastPercent = percent;
    int filled = percent * WIDTH / 100;
    out.printf(
        "\r%s [%s%s] %3d%% %,d/%,d",
        label, "#".repeat(filled), " ".repeat(WIDTH - filled), percent, done, total);
    if (done >= total) {
      out.println();
    }
    out.flush();
  }
}
