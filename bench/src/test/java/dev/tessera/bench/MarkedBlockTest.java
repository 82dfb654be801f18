package dev.tessera.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MarkedBlockTest {

  @Test
  void shouldReplaceOnlyTheMarkedBlock() {
    String doc = "# Title\n\nbefore\n<!-- bench:start -->\nold\n<!-- bench:end -->\nafter\n";
    assertThat(MarkedBlock.replace(doc, "new figures\n"))
        .isEqualTo(
            "# Title\n\nbefore\n<!-- bench:start -->\nnew figures\n<!-- bench:end -->\nafter\n");
  }

  @Test
  void shouldAppendTheBlockWhenTheDocumentHasNone() {
    assertThat(MarkedBlock.replace("# Title\n", "figures"))
        .isEqualTo("# Title\n\n<!-- bench:start -->\nfigures\n<!-- bench:end -->\n");
  }

  @Test
  void shouldRefuseMarkersOutOfOrder() {
    assertThatThrownBy(
            () -> MarkedBlock.replace("<!-- bench:end -->\n<!-- bench:start -->\n", "figures"))
        .hasMessageContaining("out of order");
  }

  @Test
  void shouldReplaceANamedBlockAndLeaveTheOtherAlone() {
    String doc =
        "<!-- bench:start -->\npipeline\n<!-- bench:end -->\n"
            + "<!-- bench:predict:start -->\nold\n<!-- bench:predict:end -->\n";
    assertThat(MarkedBlock.replace(doc, "predict", "new"))
        .isEqualTo(
            "<!-- bench:start -->\npipeline\n<!-- bench:end -->\n"
                + "<!-- bench:predict:start -->\nnew\n<!-- bench:predict:end -->\n");
  }
}
