package dev.tessera.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tessera.schemas.Click;
import dev.tessera.schemas.Order;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventGeneratorTest {
  private static final Instant END = Instant.parse("2026-11-22T00:00:00Z");
  private static final Duration SPAN = Duration.ofDays(30);

  private static List<Instant> times(EventGenerator gen, long count, long[] orders) {
    var times = new ArrayList<Instant>();
    gen.events(
        count,
        new EventGenerator.Sink() {
          @Override
          public void order(Order o) {
            orders[0]++;
            times.add(o.getOrderTs());
          }

          @Override
          public void click(Click c) {
            times.add(c.getEventTs());
          }
        });
    return times;
  }

  @Test
  void shouldEmitTheRequestedEventsInTimeOrderWithinTheSpan() {
    long[] orders = new long[1];
    List<Instant> times = times(new EventGenerator(100, 1, END, SPAN), 20_000, orders);

    assertThat(times).hasSize(20_000).isSorted();
    assertThat(times.get(0)).isAfterOrEqualTo(END.minus(SPAN));
    assertThat(times.get(times.size() - 1)).isBeforeOrEqualTo(END);
    assertThat(orders[0] / 20_000.0).isCloseTo(EventGenerator.ORDER_SHARE, within(0.02));
  }

  @Test
  void shouldGiveACustomerTheSameRowForTheSameSeed() {
    var a = new EventGenerator(100, 7, END, SPAN);
    var b = new EventGenerator(100, 7, END, SPAN);

    assertThat(a.customer(42)).isEqualTo(b.customer(42));
    assertThat(a.customer(42).getCustomerId()).isEqualTo("C-43");
    assertThat(a.customer(42).getSignupTs()).isBefore(END.minus(Duration.ofDays(59)));
  }
}
