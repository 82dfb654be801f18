package dev.tessera.bench;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;

/**
 * Deletes the changelog and repartition topics of a finished benchmark application, so that the
 * broker does not carry every earlier run's state into the next one.
 */
final class InternalTopics {
  private InternalTopics() {}

  static void delete(Admin admin, String applicationId) {
    try {
      List<String> internal =
          admin.listTopics().names().get(10, TimeUnit.SECONDS).stream()
              .filter(name -> name.startsWith(applicationId + "-"))
              .toList();
      if (!internal.isEmpty()) {
        admin.deleteTopics(internal).all().get(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new KafkaException("Cannot delete the internal topics of " + applicationId, e);
    }
  }
}
