package dev.tessera.serving;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The layering of the model server, held by a test. */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.tessera.serving");

  @Test
  void shouldKeepJavalinInTheHttpPackage() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.tessera.serving.http..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.javalin..")
        .because("routes, codecs and the one error mapper live in http; the rest is HTTP-free")
        .check(CLASSES);
  }

  @Test
  void shouldKeepOnnxRuntimeWhereModelsAreLoadedScoredAndChecked() {
    noClasses()
        .that()
        .resideOutsideOfPackages(
            "dev.tessera.serving.scoring..",
            "dev.tessera.serving.registry..",
            "dev.tessera.serving.retrain..",
            "dev.tessera.serving.node..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("ai.onnxruntime..")
        .because("native sessions and tensors are closed where they are made")
        .check(CLASSES);
  }

  @Test
  void shouldKeepTrainingAndScoringFreeOfTheHttpLayer() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.tessera.serving.training..",
            "dev.tessera.serving.scoring..",
            "dev.tessera.serving.registry..",
            "dev.tessera.serving.endpoint..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.tessera.serving.http..", "dev.tessera.serving.cli..")
        .check(CLASSES);
  }
}
