package dev.tessera.schemas.serde;

import dev.tessera.schemas.Assignment;
import dev.tessera.schemas.Click;
import dev.tessera.schemas.Customer;
import dev.tessera.schemas.FeatureValue;
import dev.tessera.schemas.Order;
import dev.tessera.schemas.Outcome;
import dev.tessera.schemas.Prediction;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One valid record of each shipped type, with and without optional fields. */
final class SampleEvents {
  static final Instant TS = Instant.parse("2026-11-22T10:15:30.250Z");

  private SampleEvents() {}

  static Order order() {
    return Order.newBuilder()
        .setOrderId("o-1")
        .setCustomerId("C-1")
        .setOrderTs(TS)
        .setOrderTotal(42.5)
        .setProductCategory("books")
        .setLat(52.52)
        .setLon(13.405)
        .build();
  }

  static Order orderWithoutLocation() {
    return Order.newBuilder(order()).setLat(null).setLon(null).build();
  }

  static Click click() {
    return Click.newBuilder()
        .setEventId("e-1")
        .setCustomerId("C-1")
        .setSessionId("s-9")
        .setEventType("add_to_cart")
        .setEventTs(TS)
        .build();
  }

  static Customer customerWithoutHome() {
    return Customer.newBuilder()
        .setCustomerId("C-1")
        .setSignupTs(Instant.parse("2024-02-29T00:00:00Z"))
        .setSubscriptionTier("premium")
        .setRegion("eu-west")
        .setHomeLat(null)
        .setHomeLon(null)
        .build();
  }

  static Outcome outcome() {
    return Outcome.newBuilder()
        .setCustomerId("C-1")
        .setOutcomeTs(TS)
        .setLabel(1)
        .setSource("billing")
        .build();
  }

  static Prediction prediction() {
    return Prediction.newBuilder()
        .setRequestId("5f0c-0")
        .setClientRequestId(null)
        .setTs(TS)
        .setEndpoint("churn")
        .setServedEntity("champion")
        .setModelName("churn_gbm")
        .setModelVersion("3")
        .setEntityKeys(Map.of("customer_id", "C-1"))
        .setFeatures(
            List.of(
                FeatureValue.newBuilder()
                    .setName("orders_30d")
                    .setValue(4.0)
                    .setEventTs(Instant.parse("2026-11-21T09:00:00Z"))
                    .setFound(true)
                    .build(),
                FeatureValue.newBuilder()
                    .setName("avg_session_duration")
                    .setValue(0.0)
                    .setEventTs(null)
                    .setFound(false)
                    .build()))
        .setScore(0.8125)
        .setLabel(1)
        .setLatencyUs(640L)
        .setAssignment(
            Assignment.newBuilder()
                .setExperimentId("churn-ab")
                .setBucket(4711)
                .setConfigVersion(7L)
                .build())
        .build();
  }
}
