package dev.tessera.serving.cli;

import picocli.CommandLine.Option;

/** Where the commands that talk to a running node find its HTTP API, and the token to send. */
final class ApiOptions {
  @Option(
      names = "--url",
      defaultValue = "http://127.0.0.1:8080",
      description = "HTTP API of any node (default ${DEFAULT-VALUE}).")
  String url;

  @Option(
      names = "--token",
      defaultValue = "${env:TESSERA_TOKEN}",
      description = "Bearer token with the admin scope (default: $TESSERA_TOKEN; none if unset).")
  String token;
}
