package dev.tessera.schemas.topic;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates the topics an application needs at start, leaving existing topics as they are.
 *
 * <pre>{@code
 * try (Admin admin = Admin.create(props)) {
 *   TopicAdmin.ensure(admin, TopicCatalog.defaults().all(), Duration.ofSeconds(30));
 * }
 * }</pre>
 */
public final class TopicAdmin {
  private static final Duration METADATA_RETRY = Duration.ofMillis(50);

  private TopicAdmin() {}

  /**
   * Creates every missing topic; topics that already exist are kept with their settings. Returns
   * the partition count each topic has on the cluster.
   */
  public static Map<String, Integer> ensure(
      Admin admin, Collection<Topic<?, ?>> topics, Duration timeout) {
    List<NewTopic> wanted = topics.stream().map(Topic::toNewTopic).toList();
    var results = admin.createTopics(wanted).values();
    for (var entry : results.entrySet()) {
      try {
        entry.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new KafkaException("Could not create topic " + entry.getKey(), e.getCause());
        }
      } catch (TimeoutException e) {
        throw new KafkaException(
            "Timed out after " + timeout + " creating topic " + entry.getKey(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new KafkaException("Interrupted creating topic " + entry.getKey(), e);
      }
    }
    List<String> names = topics.stream().map(Topic::name).toList();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        var partitions = new HashMap<String, Integer>();
        admin
            .describeTopics(names)
            .allTopicNames()
            .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .forEach((name, description) -> partitions.put(name, description.partitions().size()));
        return partitions;
      } catch (ExecutionException e) {
        // A topic just created may not have reached the metadata of the broker asked yet.
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
            || System.nanoTime() > deadline) {
          throw new KafkaException("Could not describe topics " + names, e);
        }
        LockSupport.parkNanos(METADATA_RETRY.toNanos());
      } catch (TimeoutException e) {
        throw new KafkaException("Could not describe topics " + names, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new KafkaException("Interrupted describing topics " + names, e);
      }
    }
  }
}
