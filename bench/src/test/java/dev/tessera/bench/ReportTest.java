package dev.tessera.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReportTest {

  @Test
  void shouldReadALibraryVersionFromItsJarName() {
    assertThat(
            Report.versionInJarName(
                "/root/.m2/repository/ml/dmlc/xgboost4j_2.12/3.0.4/xgboost4j_2.12-3.0.4.jar"))
        .isEqualTo("3.0.4");
    assertThat(Report.versionInJarName("/opt/lib/kafka-streams-4.3.1-rc1.jar"))
        .isEqualTo("4.3.1-rc1");
    assertThat(Report.versionInJarName("/work/bench/target/classes/")).isEqualTo("?");
  }
}
