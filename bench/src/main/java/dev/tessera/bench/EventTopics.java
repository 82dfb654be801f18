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

/** Deletes the event topics (orders, clicks, customers), so that a preload starts them empty. */
final class EventTopics {
  private EventTopics() {}

  static void delete(Admin admin, TopicCatalog topics, Duration timeout) {
    List<String> names =
        List.of(topics.orders().name(), topics.clicks().name(), topics.customers().name());
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
