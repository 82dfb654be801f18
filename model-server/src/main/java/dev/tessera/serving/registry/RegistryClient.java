package dev.tessera.serving.registry;

import ai.onnxruntime.OrtEnvironment;
import dev.tessera.features.config.FeatureStoreConfig;
import dev.tessera.schemas.topic.Topic;
import dev.tessera.schemas.topic.TopicAdmin;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;

/**
 * The registry straight from Kafka, without a running node: what the {@code tessera register},
 * {@code models} and {@code alias} commands use. Creates the registry topic if it is missing, reads
 * it to its end, and writes like a node does.
 *
 * <pre>{@code
 * try (RegistryClient client = RegistryClient.open(new FeatureStoreConfig(settings))) {
 *   client.writer().setAlias("churn", "champion", 2);
 * }
 * }</pre>
 */
public final class RegistryClient implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final ModelRegistry registry;
  private final RegistryWriter writer;

  private RegistryClient(ModelRegistry registry, RegistryWriter writer) {
    this.registry = registry;
    this.writer = writer;
  }

  /** Connects with a node's settings (bootstrap servers, client pass-through, features file). */
  public static RegistryClient open(FeatureStoreConfig config) {
    Topic<String, byte[]> topic = config.topics().registry();
    try (Admin admin = Admin.create(config.clientProperties())) {
      TopicAdmin.ensure(admin, List.of(topic), TIMEOUT);
    }
    ModelRegistry registry = ModelRegistry.follow(topic, config.clientProperties());
    try {
      registry.awaitCaughtUp(TIMEOUT);
      var writer =
          new RegistryWriter(
              registry,
              topic,
              config.clientProperties(),
              new ModelValidator(config.registry(), OrtEnvironment.getEnvironment()),
              Clock.systemUTC());
      return new RegistryClient(registry, writer);
    } catch (RuntimeException e) {
      registry.close();
      throw e;
    }
  }

  /** The registry as read to its end at open (and followed since). */
  public ModelRegistry registry() {
    return registry;
  }

  public RegistryWriter writer() {
    return writer;
  }

  @Override
  public void close() {
    registry.close();
  }
}
