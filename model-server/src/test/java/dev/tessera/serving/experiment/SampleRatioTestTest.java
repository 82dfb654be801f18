package dev.tessera.serving.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SampleRatioTestTest {
  private static final Map<String, Double> NINETY_TEN = ordered("v1", 90.0, "v2", 10.0);

  private static <V> Map<String, V> ordered(String k1, V v1, String k2, V v2) {
    var map = new LinkedHashMap<String, V>();
    map.put(k1, v1);
    map.put(k2, v2);
    return map;
  }

  @Test
  void shouldFlagSampleRatioMismatchOnASkewedSplit() {
    // 85/15 observed over 10,000 against 90/10: 500²/9000 + 500²/1000 = 277.78.
    var srm = SampleRatioTest.of(ordered("v1", 8_500L, "v2", 1_500L), NINETY_TEN);
    assertThat(srm.chiSquare()).isCloseTo(250_000 / 9_000.0 + 250.0, within(1e-9));
    assertThat(srm.degreesOfFreedom()).isEqualTo(1);
    assertThat(srm.pValue()).isLessThan(1e-60);
    assertThat(srm.mismatch()).isTrue();
  }

  @Test
  void shouldNotFlagAFairSplit() {
    // 9,030 / 970: 30²/9000 + 30²/1000 = 1.0 → p = 0.3173.
    var srm = SampleRatioTest.of(ordered("v1", 9_030L, "v2", 970L), NINETY_TEN);
    assertThat(srm.chiSquare()).isCloseTo(1.0, within(1e-12));
    assertThat(srm.pValue()).isCloseTo(0.31731050786291415, within(1e-12));
    assertThat(srm.mismatch()).isFalse();
  }

  @Test
  void shouldIgnoreShadowVariantsAndNormaliseShares() {
    var observed = new LinkedHashMap<String, Long>();
    observed.put("a", 500L);
    observed.put("b", 500L);
    observed.put("shadow", 1_000L);
    var split = new LinkedHashMap<String, Double>();
    split.put("a", 1.0);
    split.put("b", 1.0);
    split.put("shadow", 0.0);
    var srm = SampleRatioTest.of(observed, split);
    assertThat(srm.observed()).containsOnlyKeys("a", "b");
    assertThat(srm.expected()).containsEntry("a", 500.0);
    assertThat(srm.chiSquare()).isZero();
    assertThat(srm.pValue()).isEqualTo(1.0);
  }

  @Test
  void shouldFlagAVariantThatGetsNoTrafficAndSkipASingleVariant() {
    assertThat(SampleRatioTest.of(Map.of("v1", 10_000L), NINETY_TEN).mismatch()).isTrue();
    var single = SampleRatioTest.of(Map.of("v1", 10L), Map.of("v1", 100.0));
    assertThat(single.degreesOfFreedom()).isZero();
    assertThat(single.mismatch()).isFalse();
  }
}
