package dev.tessera.features;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The layering of the feature store, held by a test as Kafka holds its own with import-control:
 * definitions and on-demand expressions at the bottom, aggregates and store layouts above them, the
 * topology and the lookups beside each other, the offline engine (which runs the topology and the
 * lookups) on top.
 */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.tessera.features");

  @Test
  void shouldKeepRocksDbInTheStatePackage() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.tessera.features.state..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.rocksdb..")
        .because("RocksDB objects are native and closed in one place (BoundedRocksDbConfig)")
        .check(CLASSES);
  }

  @Test
  void shouldKeepAggregatesPureJava() {
    noClasses()
        .that()
        .resideInAPackage("dev.tessera.features.aggregate..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.kafka..", "org.rocksdb..", "org.apache.avro..")
        .because("partial aggregates merge in memory, online and offline alike")
        .check(CLASSES);
  }

  @Test
  void shouldKeepDefinitionsAndExpressionsBelowEverythingThatRunsThem() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.tessera.features.definition..", "dev.tessera.features.ondemand..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.tessera.features.state..",
            "dev.tessera.features.topology..",
            "dev.tessera.features.query..",
            "dev.tessera.features.offline..",
            "dev.tessera.features.config..")
        .check(CLASSES);
    noClasses()
        .that()
        .resideInAPackage("dev.tessera.features.ondemand..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.tessera.features.definition..")
        .because("an expression is compiled from text alone")
        .check(CLASSES);
  }

  @Test
  void shouldKeepSourceDecodingBelowWhatRunsIt() {
    noClasses()
        .that()
        .resideInAPackage("dev.tessera.features.source..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.tessera.features.state..",
            "dev.tessera.features.topology..",
            "dev.tessera.features.query..",
            "dev.tessera.features.offline..",
            "dev.tessera.features.config..")
        .because("a declared source decodes records the same way for the pipeline and the replay")
        .check(CLASSES);
  }

  @Test
  void shouldKeepTheTopologyAndTheLookupsApart() {
    noClasses()
        .that()
        .resideInAPackage("dev.tessera.features.topology..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.tessera.features.query..", "dev.tessera.features.offline..")
        .because("the topology is a pure factory that nothing it serves feeds back into")
        .check(CLASSES);
    noClasses()
        .that()
        .resideInAPackage("dev.tessera.features.query..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.tessera.features.topology..", "dev.tessera.features.offline..")
        .because("lookups read stores through their layout, whoever filled them")
        .check(CLASSES);
    noClasses()
        .that()
        .resideInAPackage("dev.tessera.features.state..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.tessera.features.topology..",
            "dev.tessera.features.query..",
            "dev.tessera.features.offline..")
        .check(CLASSES);
  }
}
