package dev.tessera.serving.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Resolves a node's settings: each key's default, then the config file, then environment variables
 * ({@code TESSERA_HTTP_PORT} sets {@code http.port}), then command-line flags.
 */
final class Settings {
  static final String ENV_PREFIX = "TESSERA_";

  private Settings() {}

  static Map<String, String> resolve(
      Path configFile, Map<String, String> env, Map<String, String> flags) {
    var settings = new LinkedHashMap<String, String>();
    if (configFile != null) {
      var props = new Properties();
      try (Reader in = Files.newBufferedReader(configFile)) {
        props.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("Could not read config file " + configFile, e);
      }
      props.forEach((k, v) -> settings.put(k.toString().trim(), v.toString().trim()));
    }
    env.forEach(
        (name, value) -> {
          if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()) {
            settings.put(keyOf(name), value);
          }
        });
    flags.forEach(
        (k, v) -> {
          if (v != null) {
            settings.put(k, v);
          }
        });
    return settings;
  }

  /** TESSERA_HTTP_PORT → http.port */
  static String keyOf(String envName) {
    return envName.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
  }
}
