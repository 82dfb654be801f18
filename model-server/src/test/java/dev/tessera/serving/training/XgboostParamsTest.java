package dev.tessera.serving.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.Map;
import org.junit.jupiter.api.Test;

class XgboostParamsTest {

  @Test
  void shouldParsePairsInOrderIgnoringWhitespace() {
    assertThat(XgboostParams.parse(" n_estimators=200, max_depth = 6 ,eta=0.1 "))
        .containsExactly(
            entry("n_estimators", "200"), entry("max_depth", "6"), entry("eta", "0.1"));
    assertThat(XgboostParams.parse("")).isEmpty();
    assertThat(XgboostParams.parse("   ")).isEmpty();
    assertThat(XgboostParams.parse(null)).isEmpty();
  }

  @Test
  void shouldKeepCommasInsideBrackets() {
    assertThat(
            XgboostParams.parse(
                "monotone_constraints=(1,-1,0),interaction_constraints=[[0,1],[2]],eta=0.3"))
        .containsExactly(
            entry("monotone_constraints", "(1,-1,0)"),
            entry("interaction_constraints", "[[0,1],[2]]"),
            entry("eta", "0.3"));
  }

  @Test
  void shouldRefuseMalformedStrings() {
    String hint =
        "; expected key=value pairs separated by commas, e.g. "
            + "n_estimators=200,max_depth=6,eta=0.1";
    assertThatThrownBy(() -> XgboostParams.parse("max_depth=6,,eta=0.1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Malformed XGBoost params 'max_depth=6,,eta=0.1': an entry is empty" + hint);
    assertThatThrownBy(() -> XgboostParams.parse("max_depth=6,eta"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Malformed XGBoost params 'max_depth=6,eta': entry 'eta' has no '='" + hint);
    assertThatThrownBy(() -> XgboostParams.parse("=6"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("entry '=6' has an empty key or value");
    assertThatThrownBy(() -> XgboostParams.parse("eta="))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("entry 'eta=' has an empty key or value");
    assertThatThrownBy(() -> XgboostParams.parse("eta=0.1,eta=0.2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key 'eta' is given twice");
    assertThatThrownBy(() -> XgboostParams.parse("monotone_constraints=(1,-1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a bracket is not closed");
    assertThatThrownBy(() -> XgboostParams.parse("eta=0.1)"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("')' at position 7 closes nothing");
  }

  @Test
  void shouldMapSklearnNamesAndApplyDefaults() {
    XgboostParams.Resolved resolved =
        XgboostParams.resolve(
            XgboostParams.parse("n_estimators=200,learning_rate=0.05,max_depth=4"), 42L);

    assertThat(resolved.rounds()).isEqualTo(200);
    assertThat(resolved.xgboost())
        .containsExactly(
            entry("eta", "0.05"),
            entry("max_depth", "4"),
            entry("nthread", "1"),
            entry("objective", "binary:logistic"),
            entry("seed", "42"),
            entry("tree_method", "hist"));
  }

  @Test
  void shouldUseDefaultRoundsAndLetCallersOverrideThreadsAndTreeMethod() {
    XgboostParams.Resolved resolved =
        XgboostParams.resolve(Map.of("nthread", "2", "tree_method", "exact"), -7L);

    assertThat(resolved.rounds()).isEqualTo(XgboostParams.DEFAULT_ROUNDS);
    assertThat(resolved.xgboost())
        .containsEntry("nthread", "2")
        .containsEntry("tree_method", "exact")
        .containsEntry("seed", "-7");
    assertThat(XgboostParams.resolve(Map.of("num_round", "7"), 1L).rounds()).isEqualTo(7);
    assertThat(XgboostParams.resolve(Map.of("num_boost_round", "9"), 1L).rounds()).isEqualTo(9);
  }

  @Test
  void shouldRefuseConflictingOrInvalidParams() {
    assertThatThrownBy(() -> XgboostParams.resolve(XgboostParams.parse("n_estimators=0"), 1L))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("n_estimators must be a positive integer, got '0'");
    assertThatThrownBy(() -> XgboostParams.resolve(Map.of("num_round", "lots"), 1L))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("num_round must be a positive integer, got 'lots'");
    assertThatThrownBy(
            () -> XgboostParams.resolve(XgboostParams.parse("n_estimators=5,num_round=6"), 1L))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Give the number of rounds once, got both n_estimators and num_round");
    assertThatThrownBy(
            () -> XgboostParams.resolve(XgboostParams.parse("eta=0.1,learning_rate=0.2"), 1L))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Give either eta or learning_rate, not both");
    assertThatThrownBy(() -> XgboostParams.resolve(Map.of("random_state", "3"), 1L))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "The seed is train's argument, so param 'random_state' is refused (got random_state=3)");
    assertThatThrownBy(() -> XgboostParams.resolve(Map.of("objective", "multi:softprob"), 1L))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Only objective binary:logistic is trained")
        .hasMessageEndingWith("got objective=multi:softprob");
  }
}
