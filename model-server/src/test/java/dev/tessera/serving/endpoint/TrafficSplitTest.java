package dev.tessera.serving.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.serving.endpoint.TrafficSplit.Route;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrafficSplitTest {
  private static final int KEYS = 100_000;
  private static final TrafficSplit NINETY_TEN =
      TrafficSplit.of(List.of(new Route("champion", 90), new Route("challenger", 10)));

  private static Map<String, Integer> counts(TrafficSplit split, String salt) {
    var counts = new HashMap<String, Integer>();
    for (int i = 0; i < KEYS; i++) {
      counts.merge(split.route(Endpoint.bucket(salt, "C-" + i)), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void shouldSplitOneHundredThousandKeysNinetyTenWithinTolerance() {
    Map<String, Integer> counts = counts(NINETY_TEN, "churn");

    // Binomial sd of the challenger's share over 100,000 keys is ~0.095%: allow 4 sd.
    assertThat(counts.get("challenger") / (double) KEYS).isBetween(0.0962, 0.1038);
    assertThat(counts.get("champion") + counts.get("challenger")).isEqualTo(KEYS);
  }

  @Test
  void shouldGiveAKeyTheSameRouteEveryTime() {
    for (int i = 0; i < 1000; i++) {
      String key = "C-" + i;
      assertThat(NINETY_TEN.route(Endpoint.bucket("churn", key)))
          .isEqualTo(
              TrafficSplit.of(List.of(new Route("champion", 90), new Route("challenger", 10)))
                  .route(Endpoint.bucket("churn", key)));
    }
  }

  @Test
  void shouldMoveOnlyTheBucketsTheNewSplitRequiresFromNinetyTenToSeventyThirty() {
    var seventyThirty =
        TrafficSplit.of(List.of(new Route("champion", 70), new Route("challenger", 30)));
    int moved = 0;
    for (int i = 0; i < KEYS; i++) {
      int bucket = Endpoint.bucket("churn", "C-" + i);
      String before = NINETY_TEN.route(bucket);
      String after = seventyThirty.route(bucket);
      if (!before.equals(after)) {
        moved++;
        assertThat(before).isEqualTo("champion");
        assertThat(after).isEqualTo("challenger");
        assertThat(bucket).isBetween(7000, 8999);
      } else {
        assertThat(bucket < 7000 || bucket > 8999).as("bucket %d kept its route", bucket).isTrue();
      }
    }
    assertThat(moved / (double) KEYS).isBetween(0.19, 0.21);
  }

  @Test
  void shouldGiveAnotherSaltAnotherAssignment() {
    int same = 0;
    for (int i = 0; i < 10_000; i++) {
      if (Endpoint.bucket("churn", "C-" + i) == Endpoint.bucket("churn-2", "C-" + i)) {
        same++;
      }
    }
    assertThat(same).isLessThan(20);
  }

  @Test
  void shouldRefuseRoutesThatDoNotAddUpOrRepeat() {
    assertThatThrownBy(() -> TrafficSplit.of(List.of(new Route("a", 90), new Route("b", 5))))
        .hasMessage("traffic_config.routes add up to 95%, not 100%: [a 90%, b 5%]");
    assertThatThrownBy(() -> TrafficSplit.of(List.of(new Route("a", 50), new Route("a", 50))))
        .hasMessage("traffic_config.routes names a twice");
    assertThatThrownBy(() -> TrafficSplit.of(List.of())).hasMessageContaining("is empty");
    assertThatThrownBy(() -> new Route("a", 101)).hasMessageContaining("within 0..100, got 101");
  }

  @Test
  void shouldGiveEveryBucketToARouteWithTrafficOnly() {
    var split = TrafficSplit.of(List.of(new Route("a", 0), new Route("b", 100)));
    for (int b = 0; b < Endpoint.BUCKETS; b++) {
      assertThat(split.route(b)).isEqualTo("b");
    }
    assertThatThrownBy(() -> split.route(10_000)).hasMessageContaining("outside 0..9999");
  }
}
