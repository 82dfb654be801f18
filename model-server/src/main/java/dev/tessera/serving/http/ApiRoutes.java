package dev.tessera.serving.http;

import io.javalin.Javalin;

/** A group of routes added to the node's HTTP API, e.g. {@link EndpointsHandler}. */
public interface ApiRoutes {
  void register(Javalin app);
}
