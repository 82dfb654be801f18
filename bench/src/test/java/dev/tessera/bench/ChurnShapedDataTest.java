package dev.tessera.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.serving.training.TrainingSet;
import org.junit.jupiter.api.Test;

class ChurnShapedDataTest {

  @Test
  void shouldHaveTheColumnsOfTheShippedChurnVector() {
    TrainingSet set = ChurnShapedData.generate(100, 1L);

    assertThat(set.columns()).isEqualTo(ChurnShapedData.columns());
    assertThat(set.columns())
        .hasSize(18)
        .startsWith("days_since_last_order", "total_orders")
        .contains("subscription_tier", "region_eu_west", "region_apac");
  }

  @Test
  void shouldGiveTheSameRowsForTheSameSeed() {
    assertThat(ChurnShapedData.generate(500, 7L).values())
        .isEqualTo(ChurnShapedData.generate(500, 7L).values());
    assertThat(ChurnShapedData.generate(500, 7L).values())
        .isNotEqualTo(ChurnShapedData.generate(500, 8L).values());
  }

  @Test
  void shouldLabelBothClassesInBalanceEnoughToLearn() {
    TrainingSet set = ChurnShapedData.generate(5_000, 3L);

    assertThat(set.positives()).isBetween(1_000, 4_000);
  }

  @Test
  void shouldOneHotEncodeExactlyOneRegionPerRow() {
    TrainingSet set = ChurnShapedData.generate(1_000, 5L);
    int first = set.columns().indexOf("region_eu_west");

    for (int row = 0; row < set.rowCount(); row++) {
      float sum = 0;
      for (int j = first; j < first + 5; j++) {
        assertThat(set.value(row, j)).isIn(0f, 1f);
        sum += set.value(row, j);
      }
      assertThat(sum).as("row %d", row).isEqualTo(1f);
    }
  }

  @Test
  void shouldMarkCustomersWithoutOrdersAsTheViewsDo() {
    TrainingSet set = ChurnShapedData.generate(2_000, 9L);
    int total = set.columns().indexOf("total_orders");
    int days = set.columns().indexOf("days_since_last_order");
    int mean = set.columns().indexOf("avg_order_value");
    int none = 0;

    for (int row = 0; row < set.rowCount(); row++) {
      if (set.value(row, total) == 0) {
        none++;
        assertThat(set.value(row, days)).isEqualTo(-1f);
        assertThat(set.value(row, mean)).isNaN();
      } else {
        assertThat(set.value(row, days)).isBetween(0f, 365f);
      }
    }
    assertThat(none).isPositive();
  }
}
