package dev.tessera.serving.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.HostInfo;

/**
 * An experiment's figures over the whole cluster: this node's partitions merged with every other
 * node's, fetched through {@link Peers}. Every figure is a mergeable partial, so the merge is
 * exact.
 *
 * <pre>{@code
 * var experiments = new ClusterExperiments(job, self, peerClient);
 * Map<String, VariantStats> variants = experiments.variants("churn:champion=churn/1,...");
 * }</pre>
 */
public final class ClusterExperiments {
  /** How a node asks another for its entries of an experiment (HTTP in a node). */
  public interface Peers {
    List<KeyValue<String, byte[]>> entries(HostInfo host, String experiment);
  }

  private final ExperimentJob job;
  private final HostInfo self;
  private final Peers peers;

  public ClusterExperiments(ExperimentJob job, HostInfo self, Peers peers) {
    this.job = job;
    this.self = self;
    this.peers = peers;
  }

  /** This node's entries of an experiment. */
  public List<KeyValue<String, byte[]>> localEntries(String experiment) {
    return job.reader().entries(experiment);
  }

  /**
   * The experiment's variants merged over every node.
   *
   * @throws org.apache.kafka.streams.errors.InvalidStateStoreException while a store is not
   *     queryable (the job is rebalancing or restoring)
   */
  public Map<String, VariantStats> variants(String experiment) {
    var entries = new ArrayList<>(localEntries(experiment));
    for (HostInfo peer : job.peers(self)) {
      entries.addAll(peers.entries(peer, experiment));
    }
    return ExperimentReader.merge(entries, experiment);
  }

  /**
   * Whether this node is the one that acts on guardrails: the first of the job's nodes by host and
   * port, so that exactly one node decides (a second one's write would be refused anyway).
   */
  public boolean leads() {
    for (HostInfo peer : job.peers(self)) {
      int byHost = peer.host().compareTo(self.host());
      if (byHost < 0 || (byHost == 0 && peer.port() < self.port())) {
        return false;
      }
    }
    return true;
  }
}
