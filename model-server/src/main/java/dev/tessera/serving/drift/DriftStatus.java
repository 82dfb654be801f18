package dev.tessera.serving.drift;

import java.util.Locale;

/** How a feature, a score or a model version stands against its training reference. */
public enum DriftStatus {
  /** Within the thresholds. */
  OK,
  /** PSI at or above {@code drift.psi.warn}: a moderate shift worth a look. */
  WARN,
  /** PSI at or above {@code drift.psi.alert}, or a missing rate risen more than allowed. */
  ALERT,
  /** Fewer served rows in the window than {@code drift.min.rows}: no judgement yet. */
  INSUFFICIENT_DATA,
  /** The version has no training profile (bootstrap or uploaded model): nothing to compare. */
  NO_REFERENCE;

  /** The name in JSON and metrics, e.g. {@code insufficient_data}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The worse of two judged statuses (ALERT over WARN over OK). */
  DriftStatus worse(DriftStatus other) {
    return other.ordinal() > ordinal() ? other : this;
  }
}
