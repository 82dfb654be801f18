package dev.tessera.bench;

import dev.tessera.schemas.topic.TopicCatalog;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The event topics (orders, clicks, customers) of a preload: deleted so that it starts them empty,
 * and ready (every partition led) before it produces.
 */
final class EventTopics {
  private EventTopics() {}

  /**
   * Waits until every partition of the event topics has a leader: producing into a topic created a
   * moment ago has failed here with NOT_LEADER_OR_FOLLOWER and then OUT_OF_ORDER_SEQUENCE_NUMBER.
   */
  static void awaitLeaders(Admin admin, TopicCatalog topics, Duration timeout) {
    List<String> names = names(topics);
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (!admin.describeTopics(names).allTopicNames().get().values().stream()
          .flatMap(d -> d.partitions().stream())
          .allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
        if (System.nanoTime() > deadline) {
          throw new KafkaException("Topics " + names + " have partitions without a leader");
        }
        LockSupport.parkNanos(100_000_000);
      }
    } catch (InterruptedException | ExecutionException e) {
      throw new KafkaException("Cannot describe topics " + names, e);
    }
  }

  private static List<String> names(TopicCatalog topics) {
    return List.of(topics.orders().name(), topics.clicks().name(), topics.customers().name());
  }

  static void delete(Admin admin, TopicCatalog topics, Duration timeout) {
    List<String> names = names(topics);
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      admin.deleteTopics(names).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
        throw new KafkaException("Cannot delete topics " + names, e.getCause());
      }
    } catch (InterruptedException | TimeoutException e) {
      throw new KafkaException("Cannot delete topics " + names, e);
    }
    // Deletion completes asynchronously: wait until no name is listed any more.
    try {
      while (admin.listTopics().names().get().stream().anyMatch(names::contains)) {
        if (System.nanoTime() > deadline) {
          throw new KafkaException("Topics " + names + " still exist after " + timeout);
        }
        LockSupport.parkNanos(100_000_000);
      }
    } catch (InterruptedException | ExecutionException e) {
      throw new KafkaException("Cannot list topics", e);
    }
  }
}
