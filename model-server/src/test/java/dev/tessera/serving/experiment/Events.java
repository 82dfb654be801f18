package dev.tessera.serving.experiment;

import dev.tessera.schemas.Assignment;
import dev.tessera.schemas.Outcome;
import dev.tessera.schemas.Prediction;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Predictions and outcomes for the evaluation tests. */
final class Events {
  private Events() {}

  static Prediction prediction(
      String requestId, String customer, long ts, String variant, double score, long latencyUs) {
    return Prediction.newBuilder()
        .setRequestId(requestId)
        .setTs(Instant.ofEpochMilli(ts))
        .setEndpoint("churn")
        .setServedEntity(variant)
        .setModelName("churn")
        .setModelVersion(variant.substring(variant.length() - 1))
        .setEntityKeys(Map.of("customer_id", customer))
        .setFeatures(List.of())
        .setScore(score)
        .setLabel(score >= 0.5 ? 1 : 0)
        .setLatencyUs(latencyUs)
        .setAssignment(
            Assignment.newBuilder()
                .setExperimentId("churn")
                .setBucket(Math.floorMod(customer.hashCode(), 10_000))
                .setConfigVersion(1)
                .build())
        .build();
  }

  static Outcome outcome(String customer, long ts, int label) {
    return Outcome.newBuilder()
        .setCustomerId(customer)
        .setOutcomeTs(Instant.ofEpochMilli(ts))
        .setLabel(label)
        .setSource("test")
        .build();
  }
}
