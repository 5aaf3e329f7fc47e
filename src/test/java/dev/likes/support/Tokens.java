package dev.likes.support;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.likes.demo.DevTokens;

/**
 * Bearer tokens for tests, signed RS256 with the published dev key (deploy/dev-keys) that the test
 * profile trusts, as an identity provider would (with the demo's {@link DevTokens}); and every kind
 * of bad token.
 */
public final class Tokens {

    public static final String ISSUER = "likes-dev";
    public static final String AUDIENCE = "likes";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PrivateKey DEV_KEY = DevTokens.devKey();

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
        return sign(claims(subject, List.of()), newKeyPair().getPrivate());
    }

    /** A fresh RSA key pair, as an identity provider makes when it rotates its key. */
    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A public key as a PEM file holds it. */
    public static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    /** {"alg":"none"}: claims anyone could write. */
    public static String unsigned(String subject) {
        return DevTokens.part(JSON, Map.of("alg", "none", "typ", "JWT")) + "." + DevTokens.part(JSON, claims(subject, List.of())) + ".";
    }

    public static String sign(Map<String, Object> claims, PrivateKey key) {
        return DevTokens.sign(JSON, claims, key);
    }
}
