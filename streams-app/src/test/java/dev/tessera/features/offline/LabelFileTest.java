package dev.tessera.features.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelFileTest {

  @Test
  void shouldReadRowsWithIsoOrEpochTimesAndRequestFields() {
    List<LabelRow> rows =
        LabelFile.parse(
            "labels.csv",
            List.of(
                "customer_id,ts,label,amount",
                "C-1,2026-10-01T00:00:00Z,1,25.5",
                "",
                "C-2,1000,0,"));

    assertThat(rows)
        .containsExactly(
            new LabelRow(
                "C-1",
                Instant.parse("2026-10-01T00:00:00Z").toEpochMilli(),
                1,
                Map.of("amount", 25.5)),
            new LabelRow("C-2", 1000, 0, Map.of()));
  }

  @Test
  void shouldNameTheFileAndLineOfEachProblem() {
    assertThatThrownBy(() -> LabelFile.parse("l.csv", List.of("customer_id,time,label")))
        .hasMessage("l.csv:1: header must start with <key>,ts,label, got 'customer_id,time,label'");
    assertThatThrownBy(
            () -> LabelFile.parse("l.csv", List.of("customer_id,ts,label", "C-1,yesterday,1")))
        .hasMessageStartingWith("l.csv:2: ts 'yesterday' is neither");
    assertThatThrownBy(() -> LabelFile.parse("l.csv", List.of("customer_id,ts,label", "C-1,5,yes")))
        .hasMessage("l.csv:2: label 'yes' is not an integer");
    assertThatThrownBy(() -> LabelFile.parse("l.csv", List.of("customer_id,ts,label", "C-1,5")))
        .hasMessage("l.csv:2: expected 3 columns, got 2");
    assertThatThrownBy(
            () -> LabelFile.parse("l.csv", List.of("customer_id,ts,label,amount", "C-1,5,1,lots")))
        .hasMessage("l.csv:2: amount 'lots' is not a number");
    assertThatThrownBy(() -> LabelFile.parse("l.csv", List.of()))
        .hasMessageStartingWith("l.csv:1: empty");
  }
}
