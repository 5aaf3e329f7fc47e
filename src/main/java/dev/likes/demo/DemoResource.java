package dev.likes.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.likes.api.IdRules;
import io.quarkus.arc.profile.IfBuildProfile;

/**
 * The demo page of the like button, and dev tokens for it: dev mode and tests only (any other
 * build leaves this class out, so it can never mint a token there).
 */
@Path("/demo")
@IfBuildProfile(anyOf = {"dev", "test"})
public class DemoResource {

    private final DevTokens tokens;

    public DemoResource(DevTokens tokens) {
        this.tokens = tokens;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public String page() throws IOException {
        try (InputStream page = getClass().getResourceAsStream("/demo/index.html")) {
            return new String(page.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A token for {@code user}, signed with the published dev key. */
    @GET
    @Path("/token")
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(hidden = true)
    public String token(@QueryParam("user") String user) {
        return tokens.forUser(IdRules.require("user", user));
    }
}
