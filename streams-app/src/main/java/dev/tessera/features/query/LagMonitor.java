package dev.tessera.features.query;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.LagInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far each local store partition (active, restoring or standby) is behind its changelog,
 * refreshed in the background: {@link KafkaStreams#allLocalStorePartitionLags()} asks the brokers
 * for end offsets, too slow to call per lookup.
 */
public final class LagMonitor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LagMonitor.class);

  /** Lag of a store partition this node does not hold. */
  public static final long UNKNOWN = -1;

  private final KafkaStreams streams;
  private final ScheduledExecutorService timer;
  private volatile Map<String, Map<Integer, LagInfo>> lags = Map.of();
  private volatile long refreshedAtNanos = System.nanoTime();

  public LagMonitor(KafkaStreams streams, Duration every) {
    this.streams = streams;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "tessera-lag-monitor");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(this::refresh, 0, every.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Refreshes now; also called by the timer. */
  public void refresh() {
    try {
      lags = streams.allLocalStorePartitionLags();
      refreshedAtNanos = System.nanoTime();
    } catch (RuntimeException e) {
      // Not yet started or shutting down: keep the last figures.
      log.debug("Store lags unavailable: {}", e.toString());
    }
  }

  /**
   * Refreshes now unless the figures are younger than {@code maxAge}: for the failover path, where
   * a replica's lag can change within the timer's period (a task closed dirty is wiped and restores
   * from scratch) and a stale figure would present an empty store as caught up.
   */
  public synchronized void refreshIfOlderThan(Duration maxAge) {
    if (System.nanoTime() - refreshedAtNanos > maxAge.toNanos()) {
      refresh();
    }
  }

  /** Changelog records the local replica of {@code store}'s partition is behind, or UNKNOWN. */
  public long lag(String store, int partition) {
    LagInfo info = lags.getOrDefault(store, Map.of()).get(partition);
    return info == null ? UNKNOWN : info.offsetLag();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
