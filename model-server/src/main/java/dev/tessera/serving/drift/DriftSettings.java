package dev.tessera.serving.drift;

import java.time.Duration;

/**
 * Settings of the drift monitor ({@code drift.*} keys of {@code ServingConfig}).
 *
 * <pre>{@code
 * DriftSettings s = DriftSettings.defaults().withInterval(Duration.ofMillis(500));
 * }</pre>
 *
 * @param interval how often the window is read and judged; zero turns the monitor off
 * @param window how far back from now served rows are read
 * @param maxRows at most this many rows, the newest, are read per check
 * @param minRows fewer rows of a version than this are {@link DriftStatus#INSUFFICIENT_DATA}
 * @param psiWarn PSI from which a feature or the score is {@link DriftStatus#WARN}
 * @param psiAlert PSI from which a feature or the score is {@link DriftStatus#ALERT}
 * @param missingRateMaxIncrease a feature whose served missing rate exceeds the reference's by more
 *     than this is {@link DriftStatus#ALERT}
 */
public record DriftSettings(
    Duration interval,
    Duration window,
    int maxRows,
    int minRows,
    double psiWarn,
    double psiAlert,
    double missingRateMaxIncrease) {

  public DriftSettings {
    if (interval.isNegative()
        || window.isNegative()
        || window.isZero()
        || maxRows < 1
        || minRows < 1) {
      throw new IllegalArgumentException(
          "Drift settings out of range: interval "
              + interval
              + ", window "
              + window
              + ", max rows "
              + maxRows
              + ", min rows "
              + minRows);
    }
    if (!(psiWarn > 0 && psiAlert >= psiWarn && missingRateMaxIncrease >= 0)) {
      throw new IllegalArgumentException(
          "Drift thresholds need 0 < psi warn ("
              + psiWarn
              + ") <= psi alert ("
              + psiAlert
              + ") and a missing-rate increase >= 0 ("
              + missingRateMaxIncrease
              + ")");
    }
  }

  /** Every minute over the last hour, at most 50,000 rows, judged from 200 rows; 0.1 / 0.25. */
  public static DriftSettings defaults() {
    return new DriftSettings(
        Duration.ofMinutes(1), Duration.ofHours(1), 50_000, 200, 0.1, 0.25, 0.1);
  }

  public DriftSettings withInterval(Duration interval) {
    return new DriftSettings(
        interval, window, maxRows, minRows, psiWarn, psiAlert, missingRateMaxIncrease);
  }

  public DriftSettings withMinRows(int minRows) {
    return new DriftSettings(
        interval, window, maxRows, minRows, psiWarn, psiAlert, missingRateMaxIncrease);
  }

  /** The status of a PSI; NaN (nothing to compare) is OK. */
  DriftStatus ofPsi(double psi) {
    return psi >= psiAlert ? DriftStatus.ALERT : psi >= psiWarn ? DriftStatus.WARN : DriftStatus.OK;
  }
}
