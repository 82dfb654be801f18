package dev.tessera.serving.drift;

import dev.tessera.schemas.Prediction;
import dev.tessera.schemas.topic.Topic;
import dev.tessera.serving.registry.ModelRegistry;
import dev.tessera.serving.registry.ModelVersion;
import dev.tessera.serving.training.TrainingProfile;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches what every model version serves for drift from its training data: every {@code
 * drift.check.interval.ms} it reads the recent window of the {@code predictions} topic, groups the
 * rows by (model, version) and judges each group against the version's training profile ({@link
 * DriftCheck}). The latest result per version is kept for the HTTP API, the experiment report,
 * metrics and the catalog.
 *
 * <pre>{@code
 * DriftMonitor monitor = DriftMonitor.start(topics.predictions(), clientProps,
 *     DriftMonitor.Profiles.of(registry), settings, Clock.systemUTC());
 * Optional<ModelDrift> drift = monitor.latest("churn", "2");
 * }</pre>
 */
public final class DriftMonitor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DriftMonitor.class);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  /** Where a version's training profile comes from. */
  @FunctionalInterface
  public interface Profiles {
    /** The profile of a version; empty when it has none or is unknown. */
    Optional<TrainingProfile> find(String model, String version);

    /** The profiles the registry keeps with each version. */
    static Profiles of(ModelRegistry registry) {
      return (model, version) -> {
        try {
          return registry
              .version(model, Integer.parseInt(version))
              .map(ModelVersion::trainingProfile);
        } catch (NumberFormatException e) {
          return Optional.empty(); // not a registry version number
        }
      };
    }
  }

  private final PredictionWindow window;
  private final Profiles profiles;
  private final DriftSettings settings;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private volatile Map<String, ModelDrift> latest = Map.of();

  private DriftMonitor(
      PredictionWindow window, Profiles profiles, DriftSettings settings, Clock clock) {
    this.window = window;
    this.profiles = profiles;
    this.settings = settings;
    this.clock = clock;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "tessera-drift-monitor");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts checking every {@link DriftSettings#interval()}, the first check one interval after the
   * start; an interval of zero starts nothing but {@link #check()} still works.
   */
  public static DriftMonitor start(
      Topic<String, Prediction> topic,
      Properties clientProps,
      Profiles profiles,
      DriftSettings settings,
      Clock clock) {
    var monitor =
        new DriftMonitor(new PredictionWindow(topic, clientProps), profiles, settings, clock);
    long every = settings.interval().toMillis();
    if (every > 0) {
      monitor.scheduler.scheduleWithFixedDelay(
          monitor::checkQuietly, every, every, TimeUnit.MILLISECONDS);
    }
    return monitor;
  }

  private void checkQuietly() {
    try {
      check();
    } catch (RuntimeException e) {
      // A failed check (broker away, an unreadable row) keeps the previous figures; the next runs.
      log.warn("Drift check failed: {}", e.toString());
    }
  }

  /** Reads the window now and replaces the latest results; returns them. */
  public synchronized List<ModelDrift> check() {
    Instant to = clock.instant();
    Instant from = to.minus(settings.window());
    List<Prediction> rows = window.read(from.toEpochMilli(), settings.maxRows(), READ_TIMEOUT);
    var byVersion = new LinkedHashMap<String, List<Prediction>>();
    for (Prediction p : rows) {
      byVersion
          .computeIfAbsent(key(p.getModelName(), p.getModelVersion()), k -> new ArrayList<>())
          .add(p);
    }
    var results = new LinkedHashMap<String, ModelDrift>();
    byVersion.forEach(
        (k, group) -> {
          String model = group.get(0).getModelName();
          String version = group.get(0).getModelVersion();
          TrainingProfile profile = profiles.find(model, version).orElse(null);
          results.put(
              k,
              DriftCheck.of(model, version, profile, group, settings, from, to, clock.instant()));
        });
    latest = Map.copyOf(results);
    return all();
  }

  /** The latest result of a version, empty if it served nothing in the last window checked. */
  public Optional<ModelDrift> latest(String model, String version) {
    return Optional.ofNullable(latest.get(key(model, version)));
  }

  /** Every version's latest result, by model and version. */
  public List<ModelDrift> all() {
    return latest.values().stream()
        .sorted(Comparator.comparing(ModelDrift::model).thenComparing(ModelDrift::version))
        .toList();
  }

  public DriftSettings settings() {
    return settings;
  }

  private static String key(String model, String version) {
    return model + "\u0000" + version;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      window.close();
    }
  }
}
