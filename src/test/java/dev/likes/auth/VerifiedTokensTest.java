package dev.likes.auth;

import static dev.likes.support.TestIds.fresh;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.likes.support.Metrics;
import dev.likes.support.SecuredProfile;
import dev.likes.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Quarkus' JWT authentication really goes through {@link VerifiedTokens}: a repeated token is verified
 * once, an expired one is refused though it was cached, a refused one is checked every time, and after
 * the signing key rotates (a new key written to the key file, read again by {@link SigningKeys}' timer)
 * tokens of the old key are refused and the new key's accepted.
 */
@QuarkusTest
@TestProfile(VerifiedTokensTest.RotatingKeyFile.class)
class VerifiedTokensTest {

    /**
     * The key file the service reads; the test rotates it. A fixed path: the profile and the test are
     * loaded by different class loaders.
     */
    static final Path KEY_FILE = Path.of("target", "verified-tokens-test-key.pem");

    /** A secured service reading its key from a file it reloads every 200 ms, with no clock skew allowed. */
    public static class RotatingKeyFile extends SecuredProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Files.copy(Path.of("deploy/dev-keys/public.pem"), KEY_FILE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Map<String, String> overrides = new java.util.HashMap<>(super.getConfigOverrides());
            overrides.put("%test.mp.jwt.verify.publickey.location", KEY_FILE.toString());
            overrides.put("mp.jwt.verify.clock.skew", "0");
            overrides.put("likes.auth.keys-reload-interval", "200ms");
            return overrides;
        }
    }

    @Inject
    VerifiedTokens tokens;

    @Test
    void aRepeatedTokenIsVerifiedOnce() {
        String user = fresh("once");
        String token = Tokens.of(user);
        double verified = count("verified");
        double cached = count("cached");
        for (int i = 0; i < 5; i++) {
            read(token, user).then().statusCode(200);
        }
        assertEquals(verified + 1, count("verified"));
        assertEquals(cached + 4, count("cached"));
    }

    @Test
    void aCachedTokenIsRefusedOnceItExpires() throws InterruptedException {
        String user = fresh("expiring");
        Map<String, Object> claims = Tokens.claims(user, List.of());
        long exp = Instant.now().getEpochSecond() + 4;
        claims.put("exp", exp);
        String token = Tokens.sign(claims);
        read(token, user).then().statusCode(200);
        read(token, user).then().statusCode(200);
        Thread.sleep(Duration.between(Instant.now(), Instant.ofEpochSecond(exp + 1)).toMillis());
        double refused = count("refused");
        read(token, user).then().statusCode(401);
        assertEquals(refused + 1, count("refused"));
    }

    @Test
    void aRefusedTokenIsCheckedEveryTime() {
        String forged = Tokens.signedByAStranger("ann");
        double verified = count("verified");
        double refused = count("refused");
        read(forged, "ann").then().statusCode(401);
        read(forged, "ann").then().statusCode(401);
        assertEquals(refused + 2, count("refused"));
        assertEquals(verified, count("verified"));
    }

    @Test
    void afterTheKeyRotatesTokensOfTheOldKeyAreRefused() throws Exception {
        String user = fresh("rotating");
        String old = Tokens.of(user);
        read(old, user).then().statusCode(200);
        KeyPair rotated = Tokens.newKeyPair();
        String fresh = Tokens.sign(Tokens.claims(user, List.of()), rotated.getPrivate());
        read(fresh, user).then().statusCode(401);
        String devKey = Files.readString(KEY_FILE);
        try {
            Files.writeString(KEY_FILE, Tokens.pem(rotated.getPublic()));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (read(old, user).statusCode() != 401) {
                assertTrue(System.nanoTime() < deadline, "the rotated key was not read within 10 s");
                Thread.sleep(100);
            }
            read(fresh, user).then().statusCode(200);
            assertEquals(1, tokens.size(), "only the new key's token is kept");
        } finally {
            Files.writeString(KEY_FILE, devKey);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (read(old, user).statusCode() != 200 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        }
    }

    private static io.restassured.response.Response read(String token, String user) {
        return given().auth().oauth2(token).get("/v1/items/{item}/likes/{user}", fresh("item"), user);
    }

    private static double count(String outcome) {
        return Metrics.value("likes_auth_tokens_total", "outcome=\"" + outcome + "\"");
    }
}
