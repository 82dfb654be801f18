package dev.tessera.serving.demo.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.schemas.Click;
import dev.tessera.schemas.Customer;
import dev.tessera.schemas.Order;
import dev.tessera.schemas.Outcome;
import dev.tessera.schemas.topic.TopicCatalog;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ChurnWorldTest {
  private static final Instant END = Instant.parse("2026-06-01T12:34:56.789Z");
  private static final Duration SESSION_GAP = Duration.ofMinutes(30);

  // Small enough to be quick, large enough to have churners at every stage. Shared: pure.
  private static final ChurnWorld world = ChurnWorld.create(300, 150, 11, END);
  private static final List<WorldEvent> history = world.history().toList();
  private static final Map<String, CustomerTruth> truth =
      world.truth().stream().collect(Collectors.toMap(CustomerTruth::customerId, t -> t));

  @Test
  void shouldGenerateTheSameWorldForTheSameSeed() {
    ChurnWorld again = ChurnWorld.create(300, 150, 11, END);

    assertThat(again.history().toList()).isEqualTo(history);
    assertThat(again.labels()).isEqualTo(world.labels());
    assertThat(again.truth()).isEqualTo(world.truth());
  }

  @Test
  void shouldGenerateAnotherWorldForAnotherSeed() {
    ChurnWorld other = ChurnWorld.create(300, 150, 12, END);

    assertThat(other.orders()).isNotEqualTo(world.orders());
    assertThat(other.labels()).isNotEqualTo(world.labels());
  }

  @Test
  void shouldKeepACustomersBehaviourWhateverTheNumberOfCustomers() {
    ChurnWorld fewer = ChurnWorld.create(5, 150, 11, END);

    assertThat(eventsOf(fewer.history().toList(), "C-3")).isEqualTo(eventsOf(history, "C-3"));
  }

  @Test
  void shouldKeepTheHistoryBeforeAnEarlierEndUnchanged() {
    // Same start, 63 days (9 snapshot weeks) more: the first world is a prefix of the second.
    ChurnWorld longer = ChurnWorld.create(300, 150 + 63, 11, END.plus(Duration.ofDays(63)));
    List<WorldEvent> prefix =
        longer
            .history()
            .filter(e -> e.time().isBefore(END))
            .filter(e -> !e.topic().equals(TopicCatalog.OUTCOMES))
            .toList();

    assertThat(prefix)
        .isEqualTo(history.stream().filter(e -> !e.topic().equals(TopicCatalog.OUTCOMES)).toList());
    assertThat(longer.labels()).containsAll(world.labels());
  }

  @Test
  void shouldEmitEveryRecordInEventTimeOrder() {
    for (int i = 1; i < history.size(); i++) {
      assertThat(history.get(i).time()).isAfterOrEqualTo(history.get(i - 1).time());
    }
    List<WorldEvent> customers =
        history.stream().filter(e -> e.topic().equals(TopicCatalog.CUSTOMERS)).toList();
    assertThat(customers).hasSize(300);
    assertThat(history.subList(0, 300)).isEqualTo(customers);
    assertThat(history.subList(300, history.size()))
        .allSatisfy(
            e -> {
              assertThat(e.time()).isAfterOrEqualTo(world.start()).isBefore(world.end());
              assertThat(e.topic())
                  .isIn(TopicCatalog.ORDERS, TopicCatalog.CLICKS, TopicCatalog.OUTCOMES);
            });
  }

  @Test
  void shouldDescribeCustomersWithTheCategoriesOfTheFeatureDefinitions() {
    assertThat(world.customers())
        .extracting(Customer::getCustomerId)
        .containsExactlyElementsOf(IntStream.rangeClosed(1, 300).mapToObj(i -> "C-" + i).toList());
    assertThat(world.customers())
        .allSatisfy(
            c -> {
              assertThat(c.getSignupTs()).isBefore(world.start());
              assertThat(c.getSubscriptionTier()).isIn("free", "basic", "premium");
              assertThat(c.getRegion()).isIn("eu-west", "eu-central", "us-east", "us-west", "apac");
              assertThat(c.getHomeLat()).isBetween(-90.0, 90.0);
              assertThat(c.getHomeLon()).isBetween(-180.0, 180.0);
            });
    assertThat(world.customers().stream().map(Customer::getRegion).distinct()).hasSize(5);
    assertThat(world.customers().stream().map(Customer::getSubscriptionTier).distinct()).hasSize(3);
  }

  @Test
  void shouldWriteOrdersAndClicksTheSchemasAccept() {
    List<Order> orders = world.orders();
    List<Click> clicks = world.clicks();

    assertThat(orders).isNotEmpty();
    assertThat(orders).extracting(Order::getOrderId).doesNotHaveDuplicates();
    assertThat(orders)
        .allSatisfy(
            o -> {
              assertThat(o.getOrderTotal()).isGreaterThanOrEqualTo(1.0);
              assertThat(o.getProductCategory()).isNotBlank();
              assertThat(o.getLat() == null).isEqualTo(o.getLon() == null);
            });
    assertThat(orders).anySatisfy(o -> assertThat(o.getLat()).isNull());
    assertThat(orders).anySatisfy(o -> assertThat(o.getLat()).isNotNull());
    assertThat(clicks).extracting(Click::getEventId).doesNotHaveDuplicates();
    assertThat(clicks.stream().map(Click::getEventType).collect(Collectors.toSet()))
        .isEqualTo(Set.of("page_view", "add_to_cart", "search", "checkout"));
  }

  @Test
  void shouldKeepClicksOfASessionWithinThirtyMinutesAndSessionsFurtherApart() {
    Map<String, List<Click>> byCustomer =
        world.clicks().stream().collect(Collectors.groupingBy(Click::getCustomerId));
    int sessions = 0;
    for (List<Click> clicks : byCustomer.values()) {
      for (int i = 1; i < clicks.size(); i++) {
        Click previous = clicks.get(i - 1);
        Click click = clicks.get(i);
        Duration gap = Duration.between(previous.getEventTs(), click.getEventTs());
        if (click.getSessionId().equals(previous.getSessionId())) {
          assertThat(gap).isLessThan(SESSION_GAP);
        } else {
          assertThat(gap).isGreaterThan(SESSION_GAP);
          sessions++;
        }
      }
    }
    assertThat(sessions).isGreaterThan(1_000);
  }

  @Test
  void shouldStopOrdersAndClicksAfterChurnDate() {
    long churners = truth.values().stream().filter(t -> t.churnsBefore(END)).count();
    assertThat(churners).isGreaterThan(30);
    assertThat(history)
        .filteredOn(e -> !e.topic().equals(TopicCatalog.CUSTOMERS))
        .filteredOn(e -> !e.topic().equals(TopicCatalog.OUTCOMES))
        .allSatisfy(e -> assertThat(e.time()).isBefore(truth.get(e.key()).churnAt()));
  }

  @Test
  void shouldFadeChurnersActivityBeforeTheyLeave() {
    // Churners with 90 days of history before churning: the last two weeks against a month
    // two months earlier, summed over all of them.
    var before = new Activity();
    var fading = new Activity();
    List<CustomerTruth> churners =
        truth.values().stream()
            .filter(t -> t.churnsBefore(END))
            .filter(t -> t.churnAt().isAfter(world.start().plus(Duration.ofDays(90))))
            .toList();
    assertThat(churners).hasSizeGreaterThan(20);
    for (CustomerTruth t : churners) {
      before.days += 30;
      fading.days += 14;
      Instant churn = t.churnAt();
      for (WorldEvent e : eventsOf(history, t.customerId())) {
        Instant at = e.time();
        if (!at.isBefore(churn.minus(Duration.ofDays(90)))
            && at.isBefore(churn.minus(Duration.ofDays(60)))) {
          before.add(e);
        } else if (!at.isBefore(churn.minus(Duration.ofDays(14)))) {
          fading.add(e);
        }
      }
    }

    assertThat(fading.ordersPerDay()).isLessThan(0.5 * before.ordersPerDay());
    assertThat(fading.meanOrderValue()).isLessThan(0.85 * before.meanOrderValue());
    assertThat(fading.sessionsPerDay()).isLessThan(0.4 * before.sessionsPerDay());
    assertThat(fading.clicksPerSession()).isLessThan(0.8 * before.clicksPerSession());
  }

  @Test
  void shouldLabelWeeklySnapshotsWhoseHorizonClosedBeforeTheEnd() {
    List<Instant> snapshots = world.snapshots();

    assertThat(snapshots).isNotEmpty();
    assertThat(snapshots).allSatisfy(s -> assertThat(s).isEqualTo(s.truncatedTo(ChronoUnit.DAYS)));
    for (int i = 1; i < snapshots.size(); i++) {
      assertThat(Duration.between(snapshots.get(i - 1), snapshots.get(i)))
          .isEqualTo(Duration.ofDays(7));
    }
    assertThat(snapshots.get(0)).isAfterOrEqualTo(world.start().plus(Duration.ofDays(30)));
    assertThat(snapshots.get(snapshots.size() - 1).plus(Duration.ofDays(30)))
        .isBefore(END)
        .isAfter(END.minus(Duration.ofDays(2)));
    assertThat(world.labels())
        .allSatisfy(
            l -> {
              CustomerTruth t = truth.get(l.customerId());
              assertThat(l.ts()).isIn(snapshots);
              assertThat(t.churnAt()).isAfter(l.ts()); // still a customer
              boolean churnsWithinHorizon = !t.churnAt().isAfter(l.ts().plus(Duration.ofDays(30)));
              assertThat(l.label()).isEqualTo(churnsWithinHorizon ? 1 : 0);
            });
  }

  @Test
  void shouldNotLabelCustomersWhoHaveAlreadyChurned() {
    Instant last = world.snapshots().get(world.snapshots().size() - 1);
    long active = truth.values().stream().filter(t -> t.churnAt().isAfter(last)).count();

    assertThat(world.labels().stream().filter(l -> l.ts().equals(last))).hasSize((int) active);
    assertThat(active).isLessThan(300);
  }

  @Test
  void shouldHaveNoLabelsWhenTheHistoryIsShorterThanTwoHorizons() {
    ChurnWorld short_ = ChurnWorld.create(50, 60, 11, END);

    assertThat(short_.labels()).isEmpty();
    assertThat(short_.history().filter(e -> e.topic().equals(TopicCatalog.OUTCOMES))).isEmpty();
    assertThat(ChurnWorld.create(50, 62, 11, END).labels()).isNotEmpty();
  }

  @Test
  void shouldPublishEveryLabelAsAnOutcomeAtTheEndOfItsHorizon() {
    List<Outcome> outcomes =
        history.stream()
            .map(WorldEvent::value)
            .filter(Outcome.class::isInstance)
            .map(Outcome.class::cast)
            .toList();

    assertThat(outcomes).isEqualTo(world.outcomes());
    assertThat(outcomes).allSatisfy(o -> assertThat(o.getSource()).isEqualTo("demo-world"));
    assertThat(outcomes.stream().map(WorldLabel::fromOutcome).toList()).isEqualTo(world.labels());
    WorldLabel first = world.labels().get(0);
    assertThat(first.toOutcome().getOutcomeTs()).isEqualTo(first.ts().plus(Duration.ofDays(30)));
  }

  @Test
  void shouldRejectAnEmptyWorld() {
    assertThatThrownBy(() -> ChurnWorld.create(0, 10, 1, END))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one customer");
    assertThatThrownBy(() -> ChurnWorld.create(10, 0, 1, END))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one day");
  }

  private static List<WorldEvent> eventsOf(List<WorldEvent> events, String customerId) {
    return events.stream()
        .filter(e -> e.key().equals(customerId))
        .filter(e -> !e.topic().equals(TopicCatalog.OUTCOMES))
        .toList();
  }

  /** Orders, order value, sessions and clicks summed over a number of customer-days. */
  private static final class Activity {
    private double days;
    private int orders;
    private double orderValue;
    private final Map<String, Integer> clicksPerSession = new HashMap<>();

    void add(WorldEvent e) {
      if (e.value() instanceof Order o) {
        orders++;
        orderValue += o.getOrderTotal();
      } else if (e.value() instanceof Click c) {
        clicksPerSession.merge(c.getSessionId(), 1, Integer::sum);
      }
    }

    double ordersPerDay() {
      return orders / days;
    }

    double meanOrderValue() {
      return orderValue / orders;
    }

    double sessionsPerDay() {
      return clicksPerSession.size() / days;
    }

    double clicksPerSession() {
      return clicksPerSession.values().stream().mapToInt(Integer::intValue).average().orElse(0);
    }
  }
}
