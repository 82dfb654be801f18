package dev.tessera.serving.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ArtifactStoreTest {
  private static byte[] randomBytes(int size) {
    byte[] bytes = new byte[size];
    new Random(7).nextBytes(bytes);
    return bytes;
  }

  private static Map<Integer, byte[]> byIndex(List<byte[]> chunks) {
    var map = new HashMap<Integer, byte[]>();
    for (int i = 0; i < chunks.size(); i++) {
      map.put(i, chunks.get(i));
    }
    return map;
  }

  @Test
  void shouldRoundTripA2point5MegabyteArtifactInChunksUnderOneMegabyte() {
    byte[] artifact = randomBytes(2_621_440 + 123);
    List<byte[]> chunks = ArtifactStore.split(artifact);

    assertThat(chunks).hasSize(6);
    assertThat(chunks).allSatisfy(c -> assertThat(c.length).isLessThanOrEqualTo(512 * 1024));
    byte[] back =
        ArtifactStore.join(byIndex(chunks), chunks.size(), ArtifactStore.sha256(artifact), "t");
    assertThat(back).isEqualTo(artifact);
  }

  @Test
  void shouldDetectACorruptedChunk() {
    byte[] artifact = randomBytes(2_621_440);
    String sha256 = ArtifactStore.sha256(artifact);
    Map<Integer, byte[]> chunks = byIndex(ArtifactStore.split(artifact));
    chunks.get(3)[100] ^= 1;

    assertThatThrownBy(() -> ArtifactStore.join(chunks, chunks.size(), sha256, "churn version 2"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Artifact of churn version 2 is corrupt")
        .hasMessageContaining("registered " + sha256);
  }

  @Test
  void shouldDetectAMissingChunkAndIgnoreChunksBeyondTheCount() {
    byte[] artifact = randomBytes(1_200_000);
    Map<Integer, byte[]> chunks = byIndex(ArtifactStore.split(artifact));
    String sha256 = ArtifactStore.sha256(artifact);
    chunks.put(9, new byte[] {1}); // left over by an aborted, larger write

    assertThat(ArtifactStore.join(chunks, 3, sha256, "t")).isEqualTo(artifact);
    chunks.remove(1);
    assertThatThrownBy(() -> ArtifactStore.join(chunks, 3, sha256, "churn version 1"))
        .hasMessageContaining("missing chunk 1 of 3");
  }

  @Test
  void shouldHashLikeSha256sum() {
    assertThat(ArtifactStore.sha256("abc".getBytes()))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }
}
