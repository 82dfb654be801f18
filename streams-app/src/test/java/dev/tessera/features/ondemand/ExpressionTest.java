package dev.tessera.features.ondemand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ExpressionTest {
  private static final long NOW = Instant.parse("2026-11-22T10:00:00Z").toEpochMilli();

  private static double eval(String source, double... inputs) {
    return Expression.parse(source).apply(NOW, inputs);
  }

  @Test
  void shouldEvaluateArithmeticWithTheUsualPrecedence() {
    assertThat(eval("1 + 2 * 3 - 4 / 2")).isEqualTo(5.0);
    assertThat(eval("-(2 + 3) * 2")).isEqualTo(-10.0);
    assertThat(eval("7 % 4 + 1.5e1")).isEqualTo(18.0);
    assertThat(eval("2 - -1")).isEqualTo(3.0);
  }

  @Test
  void shouldCompareAndCombineConditionsAsOneAndZero() {
    String source = "if(request.amount > 100 and not (orders_30d == 0), 1, 2)";
    assertThat(eval(source, 250, 3)).isEqualTo(1.0);
    assertThat(eval(source, 250, 0)).isEqualTo(2.0);
    assertThat(eval(source, 50, 3)).isEqualTo(2.0);
    assertThat(eval("a <= 1 || a >= 3", 2)).isZero();
    assertThat(eval("!(a != 2)", 2)).isEqualTo(1.0);
    assertThat(eval("min(a, 3, -1) + max(a, 7)", 2)).isEqualTo(6.0);
  }

  @Test
  void shouldListEachReferenceOnceInTheOrderItFirstAppears() {
    Expression e =
        Expression.parse("zscore(request.amount, amount_mean, amount_stddev) + amount_mean");
    assertThat(e.references()).containsExactly("request.amount", "amount_mean", "amount_stddev");
    assertThat(e.parameters()).isEqualTo(e.references());
    assertThat(
            Expression.parse("total_orders.event_time + customer_churn.total_orders").references())
        .containsExactly("total_orders.event_time", "customer_churn.total_orders");
  }

  @Test
  void shouldComputeTheFormerBuiltInsAsTheirFunctionsDid() {
    long tenDaysAgo = NOW - Duration.ofDays(10).toMillis();
    assertThat(eval("days_since(t)", tenDaysAgo)).isEqualTo(10.0);
    assertThat(eval("zscore(v, m, s)", 250, 21, 12.73))
        .isCloseTo((250 - 21) / 12.73, within(1e-12));
    assertThat(eval("haversine_km(lat, lon, home_lat, home_lon)", 48.8566, 2.3522, 52.52, 13.40))
        .isEqualTo(OnDemandFunctions.haversineKm(48.8566, 2.3522, 52.52, 13.40))
        .isBetween(870.0, 885.0);
    assertThat(eval("abs(-2) + sqrt(16) + pow(2, 3) + floor(1.5) + ceil(1.5) + log(exp(1))"))
        .isCloseTo(2 + 4 + 8 + 1 + 2 + 1, within(1e-12));
  }

  @Test
  void shouldBeMissingWhenAReferenceOutsideCoalesceOrIsMissingIsMissing() {
    assertThat(eval("a + 1", Double.NaN)).isNaN();
    assertThat(eval("if(a > 0, 1, b)", 1, Double.NaN)).as("b is read unguarded").isNaN();
    assertThat(eval("coalesce(a, b, 7)", Double.NaN, Double.NaN)).isEqualTo(7.0);
    assertThat(eval("coalesce(a, 0) * 2", 4)).isEqualTo(8.0);
    assertThat(eval("if(is_missing(a), -1, 1)", Double.NaN)).isEqualTo(-1.0);
  }

  @Test
  void shouldBeMissingWhenTheResultIsNotAFiniteNumber() {
    assertThat(eval("log(0)")).isNaN();
    assertThat(eval("1 / a", 0)).isNaN();
    assertThat(eval("zscore(1, 2, 0)")).isNaN();
    assertThat(eval("sqrt(-1)")).isNaN();
  }

  @Test
  void shouldNameTheLineAndColumnOfAProblem() {
    assertThatThrownBy(() -> Expression.parse("zscore(request.amount, amount_mean"))
        .isInstanceOf(ExpressionException.class)
        .hasMessage("line 1, column 35: expected ')' to close zscore(, found the end");
    assertThatThrownBy(() -> Expression.parse("1 +\n  * 2"))
        .hasMessage("line 2, column 3: unexpected '*' where a value is expected");
    assertThatThrownBy(() -> Expression.parse("log(a, b)"))
        .hasMessage("line 1, column 1: log takes 1 argument, got 2");
    assertThatThrownBy(() -> Expression.parse("max(a)"))
        .hasMessage("line 1, column 1: max takes two or more arguments, got 1");
    assertThatThrownBy(() -> Expression.parse("2 * avg(a)"))
        .hasMessageStartingWith("line 1, column 5: unknown function 'avg'; known: abs, ceil,");
    assertThatThrownBy(() -> Expression.parse("a = 1"))
        .hasMessage("line 1, column 3: '=' is not an operator; compare with '=='");
    assertThatThrownBy(() -> Expression.parse("0 < a < 3"))
        .hasMessage("line 1, column 7: comparisons do not chain; write a < b and b < c");
    assertThatThrownBy(() -> Expression.parse("a b"))
        .hasMessage("line 1, column 3: unexpected 'b' after a complete expression");
    assertThatThrownBy(() -> Expression.parse("  "))
        .hasMessage("line 1, column 3: the expression is empty");
    ExpressionException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExpressionException.class, () -> Expression.parse("\n\n  (a + 1"));
    assertThat(e.line()).isEqualTo(3);
    assertThat(e.column()).isEqualTo(9);
    assertThat(e.problem()).isEqualTo("expected ')' to close the '(' at column 3, found the end");
  }

  @Test
  void shouldBeEqualWhenWrittenAlike() {
    assertThat(Expression.parse(" a + 1 ")).isEqualTo(Expression.parse("a + 1"));
    assertThat(Expression.parse("a + 1")).hasToString("a + 1");
  }
}
