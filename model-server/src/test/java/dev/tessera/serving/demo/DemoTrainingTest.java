package dev.tessera.serving.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.definition.ShippedFeatures;
import dev.tessera.features.offline.EventLog;
import dev.tessera.features.offline.ProgressListener;
import dev.tessera.features.topology.FeatureTopology;
import dev.tessera.schemas.topic.TopicCatalog;
import dev.tessera.serving.demo.world.ChurnWorld;
import dev.tessera.serving.demo.world.WorldFiles;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class DemoTrainingTest {
  @TempDir Path dir;

  @Test
  void shouldTrainAnOrdersModelAndABetterOrdersAndEngagementModelFromOneReplay() {
    FeatureRegistry registry = ShippedFeatures.registry();
    ChurnWorld world = ChurnWorld.create(300, 120, 11, Instant.parse("2026-06-01T00:00:00Z"));
    WorldFiles.write(world, dir.resolve("world"));
    EventLog log =
        EventLog.fromDirectory(
            dir.resolve("world"),
            TopicCatalog.defaults(),
            FeatureTopology.timeFields(registry.views()));

    List<DemoTraining.Trained> models =
        DemoTraining.train(
            registry,
            world.labels(),
            log,
            List.of("churn_v1", "churn_v2"),
            dir.resolve("state"),
            ProgressListener.NONE);

    assertThat(models)
        .extracting(DemoTraining.Trained::service)
        .containsExactly("churn_v1", "churn_v2");
    assertThat(models.get(0).run().featureNames()).containsExactly("total_orders", "orders_30d");
    assertThat(models.get(1).run().featureNames()).hasSize(18);
    double v1 = models.get(0).run().holdoutMetrics().auc();
    double v2 = models.get(1).run().holdoutMetrics().auc();
    assertThat(v1).isBetween(0.6, 0.95);
    assertThat(v2).isGreaterThan(v1).isLessThan(0.99);
    assertThat(DemoTraining.sideBySide(models))
        .contains("churn_v1", "churn_v2", "AUC", String.format("%.3f", v2));
  }
}
