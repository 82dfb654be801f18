package dev.tessera.serving.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtEnvironment;
import dev.tessera.features.definition.FeatureRegistry;
import dev.tessera.features.definition.ShippedFeatures;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ModelValidatorTest {
  private final FeatureRegistry features = ShippedFeatures.registry();
  private final ModelValidator validator =
      new ModelValidator(features, OrtEnvironment.getEnvironment());
  private final int churnV2Width =
      features.columns(features.service("churn_v2").orElseThrow()).size();

  @Test
  void shouldAcceptAModelAsWideAsItsFeatureService() {
    var signature = validator.validate("churn_v2", TestModels.logistic(churnV2Width, 0.1), "m");

    assertThat(signature.type()).isEqualTo("float");
    assertThat(signature.shape()).containsExactly(-1L, (long) churnV2Width);
    assertThat(signature.columns())
        .isEqualTo(features.columns(features.service("churn_v2").orElseThrow()));
  }

  @Test
  void shouldRefuseAModelWhoseInputWidthDiffersFromItsFeatureService() {
    assertThatThrownBy(
            () ->
                validator.validate(
                    "churn_v2", TestModels.logistic(churnV2Width - 1, 0.1), "churn (new)"))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining(
            "The model input width of churn (new) is "
                + (churnV2Width - 1)
                + " but feature service 'churn_v2' has "
                + churnV2Width
                + " columns")
        .satisfies(
            e ->
                assertThat(((RegistryException) e).reason())
                    .isEqualTo(RegistryException.Reason.INVALID));
  }

  @Test
  void shouldRefuseBytesThatAreNotOnnx() {
    assertThatThrownBy(
            () ->
                validator.validate(
                    "churn_v2", "not a model".getBytes(StandardCharsets.UTF_8), "churn (new)"))
        .isInstanceOf(RegistryException.class)
        .hasMessageStartingWith("Not a servable ONNX model (churn (new)): Cannot load");
  }

  @Test
  void shouldRefuseATruncatedModel() {
    byte[] onnx = TestModels.logistic(churnV2Width, 0.1);
    byte[] truncated = Arrays.copyOf(onnx, onnx.length / 2);

    assertThatThrownBy(() -> validator.validate("churn_v2", truncated, "churn (new)"))
        .isInstanceOf(RegistryException.class)
        .hasMessageStartingWith("Not a servable ONNX model (churn (new))");
  }

  @Test
  void shouldRefuseAnUnknownFeatureService() {
    assertThatThrownBy(
            () -> validator.validate("churn_v9", TestModels.logistic(3, 0.1), "churn (new)"))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("Unknown feature service 'churn_v9' for churn (new); known: [")
        .hasMessageContaining("churn_v2");
  }

  @Test
  void shouldRefuseAnEmptyArtifact() {
    assertThatThrownBy(() -> validator.validate("churn_v2", new byte[0], "churn (new)"))
        .hasMessage("The artifact of churn (new) is empty");
  }
}
