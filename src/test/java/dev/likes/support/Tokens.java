package dev.likes.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Bearer tokens for tests, signed RS256 with the published dev key (deploy/dev-keys) that the test
 * profile trusts, as an identity provider would; and every kind of bad token.
 */
public final class Tokens {

    public static final String ISSUER = "likes-dev";
    public static final String AUDIENCE = "likes";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PrivateKey DEV_KEY = readKey(Path.of("deploy/dev-keys/private.pem"));

    private Tokens() {
    }

    /** A valid token for {@code subject}, in the given groups. */
    public static String of(String subject, String... groups) {
        return sign(claims(subject, List.of(groups)), DEV_KEY);
    }

    public static Map<String, Object> claims(String subject, List<String> groups) {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("aud", AUDIENCE);
        claims.put("sub", subject);
        claims.put("iat", now);
        claims.put("exp", now + 600);
        claims.put("groups", groups);
        return claims;
    }

    public static String sign(Map<String, Object> claims) {
        return sign(claims, DEV_KEY);
    }

    /** Signed with a key nobody trusts. */
    public static String signedByAStranger(String subject) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return sign(claims(subject, List.of()), generator.generateKeyPair().getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {"alg":"none"}: claims anyone could write. */
    public static String unsigned(String subject) {
        return encode(Map.of("alg", "none", "typ", "JWT")) + "." + encode(claims(subject, List.of())) + ".";
    }

    private static String sign(Map<String, Object> claims, PrivateKey key) {
        String unsigned = encode(Map.of("alg", "RS256", "typ", "JWT")) + "." + encode(claims);
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key);
            rsa.update(unsigned.getBytes(StandardCharsets.US_ASCII));
            return unsigned + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(Map<String, Object> json) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static PrivateKey readKey(Path pem) {
        try {
            String base64 = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
