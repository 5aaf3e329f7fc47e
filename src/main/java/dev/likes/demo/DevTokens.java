package dev.likes.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.arc.profile.IfBuildProfile;

/**
 * Mints what deploy/dev-token.sh mints, for the demo page: dev mode and tests only. The tests' own
 * tokens (good and bad ones) are signed with the same {@link #sign} and {@link #devKey}.
 */
@ApplicationScoped
@IfBuildProfile(anyOf = {"dev", "test"})
public class DevTokens {

    static final Path KEY = Path.of("deploy/dev-keys/private.pem");

    private final ObjectMapper json;

    public DevTokens(ObjectMapper json) {
        this.json = json;
    }

    /** Dated by the real time, which verifies it, whatever clock the service runs on in tests. */
    public String forUser(String user) {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> claims = Map.of("iss", "likes-dev", "aud", "likes", "sub", user,
                "iat", now, "exp", now + 3600, "groups", List.of());
        return sign(json, claims, devKey());
    }

    /** {@code claims} as a compact RS256 JWT signed with {@code key}. */
    public static String sign(ObjectMapper json, Map<String, Object> claims, PrivateKey key) {
        try {
            String unsigned = part(json, Map.of("alg", "RS256", "typ", "JWT")) + "." + part(json, claims);
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key);
            rsa.update(unsigned.getBytes(StandardCharsets.US_ASCII));
            return unsigned + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One part of a JWT: JSON in unpadded base64url. */
    public static String part(ObjectMapper json, Map<String, Object> value) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(json.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The published dev private key (PKCS#8 PEM). */
    public static PrivateKey devKey() {
        try {
            String base64 = Files.readString(KEY).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
