package dev.tessera.serving.registry;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Artifacts on the registry topic: cut into chunks small enough for the broker's default 1 MB
 * {@code max.message.bytes}, reassembled in order and checked against their sha256.
 *
 * <pre>{@code
 * List<byte[]> chunks = ArtifactStore.split(onnx);            // 512 KiB each, the last shorter
 * byte[] back = ArtifactStore.join(chunksByIndex, chunks.size(), ArtifactStore.sha256(onnx));
 * }</pre>
 */
public final class ArtifactStore {
  /** 512 KiB: with key and headers, a chunk record stays well under 1 MB. */
  public static final int CHUNK_BYTES = 512 * 1024;

  private ArtifactStore() {}

  /** Lowercase hex sha256 of {@code bytes}. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java platform has SHA-256", e);
    }
  }

  /** The chunks of {@code artifact} of {@link #CHUNK_BYTES} each; none for an empty artifact. */
  public static List<byte[]> split(byte[] artifact) {
    return split(artifact, CHUNK_BYTES);
  }

  static List<byte[]> split(byte[] artifact, int chunkBytes) {
    var chunks = new ArrayList<byte[]>();
    for (int from = 0; from < artifact.length; from += chunkBytes) {
      chunks.add(Arrays.copyOfRange(artifact, from, Math.min(artifact.length, from + chunkBytes)));
    }
    return chunks;
  }

  /**
   * Reassembles chunks {@code 0..count-1} and checks the result.
   *
   * @param chunks chunks by index; other indexes (left by an aborted write) are ignored
   * @param what names the artifact in messages, e.g. {@code "churn version 2"}
   * @throws IllegalStateException if a chunk is missing or the bytes' sha256 differs
   */
  public static byte[] join(Map<Integer, byte[]> chunks, int count, String sha256, String what) {
    int size = 0;
    for (int i = 0; i < count; i++) {
      byte[] chunk = chunks.get(i);
      if (chunk == null) {
        throw new IllegalStateException(
            "Artifact of " + what + " is missing chunk " + i + " of " + count);
      }
      size += chunk.length;
    }
    byte[] artifact = new byte[size];
    int at = 0;
    for (int i = 0; i < count; i++) {
      byte[] chunk = chunks.get(i);
      System.arraycopy(chunk, 0, artifact, at, chunk.length);
      at += chunk.length;
    }
    String actual = sha256(artifact);
    if (!actual.equals(sha256)) {
      throw new IllegalStateException(
          "Artifact of "
              + what
              + " is corrupt: sha256 of its "
              + size
              + " bytes is "
              + actual
              + ", registered "
              + sha256);
    }
    return artifact;
  }
}
