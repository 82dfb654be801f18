package dev.tessera.serving.retrain;

import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.offline.EventLog;
import dev.tessera.features.offline.LabelRow;
import dev.tessera.schemas.topic.TopicCatalog;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/** Where a cycle's labels and events come from: the topics, or given rows in a test. */
public interface CycleData {
  List<LabelRow> labels(OutcomeLabels.Window window);

  EventLog events();

  /** The outcomes and event topics, each read from its start to its end. */
  static CycleData fromKafka(
      Properties clientProps, TopicCatalog topics, FeatureRegistry registry, Duration timeout) {
    return new CycleData() {
      @Override
      public List<LabelRow> labels(OutcomeLabels.Window window) {
        return OutcomeLabels.read(clientProps, topics, window, timeout);
      }

      @Override
      public EventLog events() {
        return EventLog.fromKafka(clientProps, topics, registry.views(), timeout);
      }
    };
  }
}
