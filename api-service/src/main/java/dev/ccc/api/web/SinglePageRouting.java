package dev.ccc.api.web;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Serves {@code index.html} for the web UI's own routes (e.g. {@code /login}) so a reload on any of
 * them works. API, Quarkus and file paths are left alone.
 */
@ApplicationScoped
public class SinglePageRouting {

  void install(@Observes Router router) {
    router
        .get("/*")
        .order(Integer.MIN_VALUE)
        .handler(
            context -> {
              String path = context.normalizedPath();
              boolean appRoute =
                  !path.equals("/")
                      && !path.startsWith("/api/")
                      && !path.startsWith("/q/")
                      && !path.substring(path.lastIndexOf('/')).contains(".");
              if (appRoute) {
                context.reroute("/");
              } else {
                context.next();
              }
            });
  }
}
