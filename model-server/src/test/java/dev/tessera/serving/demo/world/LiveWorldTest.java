package dev.tessera.serving.demo.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.schemas.Click;
import dev.tessera.schemas.Order;
import dev.tessera.schemas.topic.TopicCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LiveWorldTest {
  private static final Instant END = Instant.parse("2026-06-01T00:00:00Z");

  private final ChurnWorld world = ChurnWorld.create(200, 120, 5, END);

  @Test
  void shouldSpaceLiveEventsAtTheGivenRate() {
    List<WorldEvent> events = take(world.live(END, 4), 100);

    for (int i = 0; i < events.size(); i++) {
      assertThat(events.get(i).time()).isEqualTo(END.plusMillis(250L * i));
    }
  }

  @Test
  void shouldGiveTheSameLiveEventsForTheSameSeedAndStart() {
    Instant from = END.plus(Duration.ofHours(3));

    assertThat(take(ChurnWorld.create(200, 120, 5, END).live(from, 10), 500))
        .isEqualTo(take(world.live(from, 10), 500));
    assertThat(take(ChurnWorld.create(200, 120, 6, END).live(from, 10), 500))
        .isNotEqualTo(take(world.live(from, 10), 500));
  }

  @Test
  void shouldProduceOrdersAndSessionsOfTheWorldsCustomers() {
    List<WorldEvent> events = take(world.live(END, 10), 2_000);
    Set<String> customers =
        world.customers().stream().map(c -> c.getCustomerId()).collect(Collectors.toSet());

    assertThat(events)
        .extracting(WorldEvent::key)
        .allSatisfy(k -> assertThat(customers).contains(k));
    assertThat(events.stream().map(WorldEvent::topic).collect(Collectors.toSet()))
        .isEqualTo(Set.of(TopicCatalog.ORDERS, TopicCatalog.CLICKS));
    // A session's clicks come out one after another.
    Map<String, List<Integer>> positions = new HashMap<>();
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).value() instanceof Click c) {
        positions.computeIfAbsent(c.getSessionId(), s -> new ArrayList<>()).add(i);
      }
    }
    assertThat(positions.values())
        .allSatisfy(p -> assertThat(p.get(p.size() - 1) - p.get(0)).isEqualTo(p.size() - 1));
    assertThat(events)
        .filteredOn(e -> e.value() instanceof Order)
        .extracting(e -> ((Order) e.value()).getOrderId())
        .doesNotHaveDuplicates();
  }

  @Test
  void shouldNeverBringBackAChurnedCustomer() {
    Instant from = END.plus(Duration.ofDays(20));
    Map<String, Instant> churnAt =
        world.truth().stream()
            .collect(Collectors.toMap(CustomerTruth::customerId, CustomerTruth::churnAt));

    assertThat(take(world.live(from, 0.01), 300))
        .allSatisfy(e -> assertThat(e.time()).isBefore(churnAt.get(e.key())));
  }

  @Test
  void shouldEndWhenEveryCustomerHasChurned() {
    ChurnWorld one = ChurnWorld.create(1, 120, 5, END);
    Instant churn = one.truth().get(0).churnAt();
    LiveWorld live = one.live(churn.isAfter(END) ? churn : END, 1);

    assertThat(live.hasNext()).isFalse();
    assertThatThrownBy(live::next)
        .isInstanceOf(NoSuchElementException.class)
        .hasMessageContaining("churned");
  }

  @Test
  void shouldRejectALiveStartBeforeTheEndOrABadRate() {
    assertThatThrownBy(() -> world.live(END.minusMillis(1), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at or after the end");
    assertThatThrownBy(() -> world.live(END, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positive");
  }

  private static List<WorldEvent> take(LiveWorld live, int n) {
    var events = new ArrayList<WorldEvent>();
    for (int i = 0; i < n && live.hasNext(); i++) {
      events.add(live.next());
    }
    return events;
  }
}
