package dev.ccc.api.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OpenApiTest {

  @Test
  void theOpenApiDocumentDescribesTheRoutes() {
    given()
        .queryParam("format", "json")
        .get("/q/openapi")
        .then()
        .statusCode(200)
        .body("info.title", equalTo("Claude Code Cloud API"))
        .body("paths", hasKey("/api/auth/login"))
        .body("paths", hasKey("/api/users/{id}"))
        .body("paths", hasKey("/api/me/tokens"));
  }
}
