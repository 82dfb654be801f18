package dev.tessera.serving.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code source} files of model-versions/create stay inside registry.source.dir. */
class RegistrySourceTest {
  @TempDir Path root;
  @TempDir Path outside;

  @Test
  void shouldReadAFileInsideTheSourceDir() throws Exception {
    Files.createDirectories(root.resolve("models"));
    Files.write(root.resolve("models/churn.onnx"), new byte[] {1, 2, 3});

    assertThat(RegistryHandler.readSource(root, "models/churn.onnx")).containsExactly(1, 2, 3);
    assertThat(RegistryHandler.readSource(root, "models/../models/churn.onnx")).hasSize(3);
  }

  @Test
  void shouldRefusePathTraversal() throws Exception {
    Files.write(outside.resolve("secret"), new byte[] {9});
    String relative = root.relativize(outside.resolve("secret")).toString();

    assertThatThrownBy(() -> RegistryHandler.readSource(root, relative))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("is outside registry.source.dir");
    assertThatThrownBy(() -> RegistryHandler.readSource(root, outside.resolve("secret").toString()))
        .hasMessageContaining("is outside registry.source.dir");
    assertThatThrownBy(() -> RegistryHandler.readSource(root, "../../etc/passwd"))
        .hasMessageContaining("is outside registry.source.dir");
  }

  @Test
  void shouldRefuseASymlinkPointingOutOfTheSourceDir() throws Exception {
    Files.write(outside.resolve("secret"), new byte[] {9});
    Files.createSymbolicLink(root.resolve("link.onnx"), outside.resolve("secret"));

    assertThatThrownBy(() -> RegistryHandler.readSource(root, "link.onnx"))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("is not a file inside registry.source.dir");
  }

  @Test
  void shouldRefuseWhenDisabledOrMissing() {
    assertThatThrownBy(() -> RegistryHandler.readSource(null, "model.onnx"))
        .hasMessageContaining("registry.source.dir is not set");
    assertThatThrownBy(() -> RegistryHandler.readSource(root, "missing.onnx"))
        .hasMessageContaining("cannot be read under registry.source.dir");
    assertThatThrownBy(() -> RegistryHandler.readSource(root, "."))
        .hasMessageContaining("is not a file inside registry.source.dir");
  }
}
