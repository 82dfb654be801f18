package dev.tessera.features.definition;

import java.time.Duration;
import java.util.Objects;

/**
 * A feature of sessions: a source's events grouped per key by an inactivity gap (a session ends
 * when no event follows within the gap). A session counts in a window when its last event lies in
 * the window.
 *
 * <pre>{@code
 * new SessionFeature("sessions_last_30d", "clicks", SessionMetric.COUNT,
 *     Duration.ofMinutes(30), Duration.ofDays(30), 0.0);
 * }</pre>
 *
 * @param name feature name
 * @param source topic of the view's source the events come from
 * @param metric what is computed over the sessions in the window
 * @param gap inactivity gap that ends a session
 * @param window length of the sliding window, ending at lookup time
 * @param defaultValue value when no session is in the window
 */
public record SessionFeature(
    String name,
    String source,
    SessionMetric metric,
    Duration gap,
    Duration window,
    double defaultValue)
    implements FeatureDefinition {

  /** Inactivity gap when a definition declares none. */
  public static final Duration DEFAULT_GAP = Duration.ofMinutes(30);

  public SessionFeature {
    Names.requireValid(name, "feature");
    Objects.requireNonNull(source, "source of " + name);
    Objects.requireNonNull(metric, "metric of " + name);
    if (gap == null || gap.toMillis() < 1) {
      throw new IllegalArgumentException("Feature " + name + ": the session gap must be positive");
    }
    if (window == null || window.toMillis() < 1) {
      throw new IllegalArgumentException("Feature " + name + ": the window must be positive");
    }
  }

  /** What a session feature computes over the sessions in its window. */
  public enum SessionMetric {
    /** Number of sessions. */
    COUNT,
    /** Mean session duration (last event − first event), in seconds. */
    MEAN_DURATION
  }
}
