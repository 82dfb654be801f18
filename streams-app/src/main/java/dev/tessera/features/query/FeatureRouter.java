package dev.tessera.features.query;

import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.definition.FeatureView;
import dev.tessera.features.query.PeerClient.PeerUnavailableException;
import dev.tessera.features.state.ViewLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers lookups wherever the keys live: keys whose active store is on this node are read here,
 * others are forwarded to their owner in one request per node. When the owner cannot answer (down,
 * failing over) or this node's active store is restoring, a standby or restoring replica answers if
 * it is at most {@code maxStandbyLag} changelog records behind; otherwise the lookup fails with
 * {@link FeaturesUnavailableException}, which the HTTP API turns into 503 with Retry-After.
 *
 * <pre>{@code
 * FeatureRouter router = pipeline.router();
 * FeatureVector v = router.lookup("customer_churn", "C-1", now, Map.of());
 * List<FeatureVector> vs = router.lookupAll("customer_risk", rows, now);
 * }</pre>
 */
public final class FeatureRouter implements ViewLookup {
  private static final Logger log = LoggerFactory.getLogger(FeatureRouter.class);
  private static final Serializer<String> KEYS = new StringSerializer();
  private static final Duration FAILOVER_LAG_AGE = Duration.ofMillis(100);

  private final KafkaStreams streams;
  private final FeatureLookup local;
  private final HostInfo self;
  private final String selfName;
  private final PeerClient peers;
  private final LagMonitor lags;
  private final long maxStandbyLag;
  private final Map<String, String> anchorStores = new HashMap<>();
  private final Map<String, List<String>> viewStores = new HashMap<>();

  /**
   * @param self this node's {@code application.server}, or null on a single node without one
   */
  public FeatureRouter(
      KafkaStreams streams,
      FeatureLookup local,
      FeatureRegistry registry,
      HostInfo self,
      PeerClient peers,
      LagMonitor lags,
      long maxStandbyLag) {
    this.streams = streams;
    this.local = local.withRelated(this);
    this.self = self;
    this.selfName = self == null ? "local" : self.host() + ":" + self.port();
    this.peers = peers;
    this.lags = lags;
    this.maxStandbyLag = maxStandbyLag;
    for (FeatureView view : registry.views()) {
      ViewLayout layout = ViewLayout.of(view);
      anchorStores.put(view.name(), layout.anchorStore());
      viewStores.put(view.name(), layout.storeNames());
    }
  }

  @Override
  public FeatureVector lookup(String view, String key, long asOf, Map<String, Double> request) {
    return lookupAll(view, List.of(new LookupRow(key, request)), asOf).get(0);
  }

  /** The vectors of {@code rows}, in order, reading each key where it lives. */
  public List<FeatureVector> lookupAll(String view, List<LookupRow> rows, long asOf) {
    String store = anchorStore(view);
    FeatureVector[] result = new FeatureVector[rows.size()];
    KeyQueryMetadata[] metas = new KeyQueryMetadata[rows.size()];
    var remote = new LinkedHashMap<HostInfo, List<Integer>>();
    for (int i = 0; i < rows.size(); i++) {
      KeyQueryMetadata meta = metadata(store, rows.get(i).key());
      metas[i] = meta;
      if (meta == null || self == null || self.equals(meta.activeHost())) {
        result[i] = serveHere(view, rows.get(i), meta, asOf);
      } else {
        remote.computeIfAbsent(meta.activeHost(), h -> new ArrayList<>()).add(i);
      }
    }
    remote.forEach(
        (host, indexes) -> {
          List<LookupRow> batch = indexes.stream().map(rows::get).toList();
          try {
            List<FeatureVector> vectors = peers.lookup(host, view, batch, asOf);
            for (int j = 0; j < indexes.size(); j++) {
              result[indexes.get(j)] = vectors.get(j);
            }
          } catch (PeerUnavailableException e) {
            log.debug(
                "Owner {} of {} keys of {} cannot answer: {}",
                host,
                batch.size(),
                view,
                e.getMessage());
            for (int i : indexes) {
              result[i] = fromStandby(view, rows.get(i), metas[i], asOf, e.getMessage());
            }
          }
        });
    return Arrays.asList(result);
  }

  /**
   * The vectors of {@code rows} from this node's replicas only (active, or standby within the lag
   * bound): what a node answers to a forwarded lookup.
   */
  public List<FeatureVector> serveLocally(String view, List<LookupRow> rows, long asOf) {
    String store = anchorStore(view);
    var result = new ArrayList<FeatureVector>(rows.size());
    for (LookupRow row : rows) {
      result.add(serveHere(view, row, metadata(store, row.key()), asOf));
    }
    return result;
  }

  private String anchorStore(String view) {
    String store = anchorStores.get(view);
    if (store == null) {
      throw new UnknownViewException(view, anchorStores.keySet());
    }
    return store;
  }

  /** The key's partition and replicas, or null when Streams does not know them (no app server). */
  private KeyQueryMetadata metadata(String store, String key) {
    if (self == null) {
      return null;
    }
    KeyQueryMetadata meta;
    try {
      meta = streams.queryMetadataForKey(store, key, KEYS);
    } catch (IllegalStateException | InvalidStateStoreException e) {
      throw new FeaturesUnavailableException(
          "Streams is " + streams.state() + "; no lookups until it runs", e);
    }
    if (meta == null || meta.equals(KeyQueryMetadata.NOT_AVAILABLE) || meta.partition() < 0) {
      throw new FeaturesUnavailableException(
          "No node holds " + store + " yet (starting or rebalancing); state " + streams.state(),
          null);
    }
    return meta;
  }

  private FeatureVector serveHere(String view, LookupRow row, KeyQueryMetadata meta, long asOf) {
    if (meta == null) {
      return local.lookup(view, row.key(), asOf, row.request());
    }
    int partition = meta.partition();
    try {
      return local
          .lookup(
              FeatureStoreAccess.active(streams, partition), view, row.key(), asOf, row.request())
          .servedBy(selfName, 0);
    } catch (FeaturesUnavailableException e) {
      return serveStale(view, row, partition, asOf, e.getMessage());
    }
  }

  private FeatureVector serveStale(
      String view, LookupRow row, int partition, long asOf, String why) {
    long lag = lag(view, partition);
    if (lag == LagMonitor.UNKNOWN || lag > maxStandbyLag) {
      throw new FeaturesUnavailableException(
          "Key "
              + row.key()
              + " of "
              + view
              + " cannot be read now: "
              + why
              + (lag == LagMonitor.UNKNOWN
                  ? "; no replica of partition " + partition + " here"
                  : "; the replica here is "
                      + lag
                      + " records behind (bound "
                      + maxStandbyLag
                      + ")"),
          null);
    }
    return local
        .lookup(FeatureStoreAccess.stale(streams, partition), view, row.key(), asOf, row.request())
        .servedBy(selfName, lag);
  }

  /**
   * How far behind the local replica of the view's partition is: the most lagging of its stores,
   * since each store restores from its own changelog and one caught up says nothing of the others.
   */
  private long lag(String view, int partition) {
    lags.refreshIfOlderThan(FAILOVER_LAG_AGE);
    long worst = lags.lag(anchorStore(view), partition);
    for (String store : viewStores.getOrDefault(view, List.of())) {
      long lag = lags.lag(store, partition);
      if (lag == LagMonitor.UNKNOWN) {
        return LagMonitor.UNKNOWN;
      }
      worst = Math.max(worst, lag);
    }
    return worst;
  }

  private FeatureVector fromStandby(
      String view, LookupRow row, KeyQueryMetadata meta, long asOf, String why) {
    for (HostInfo standby : meta.standbyHosts()) {
      if (standby.equals(self)) {
        return serveStale(view, row, meta.partition(), asOf, why);
      }
    }
    for (HostInfo standby : meta.standbyHosts()) {
      try {
        return peers.lookup(standby, view, List.of(row), asOf).get(0);
      } catch (PeerUnavailableException e) {
        why = why + "; standby " + standby + ": " + e.getMessage();
      }
    }
    throw new FeaturesUnavailableException(
        "Key "
            + row.key()
            + " of "
            + view
            + " cannot be read now: owner "
            + meta.activeHost()
            + ": "
            + why,
        null);
  }
}
