package dev.likes.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.util.KeyUtils;

/**
 * The public keys that may sign tokens, as read from a PEM public key or a JWKS document (one JWK or
 * a {"keys": [...]} set; keys marked {"use": "enc"} are left out). Immutable: a new content makes a
 * new set, and {@link #fingerprint()} tells two contents apart.
 */
public record SigningKeySet(Map<String, PublicKey> byKid, List<PublicKey> all, String fingerprint) {

    /** No keys: every token is refused. */
    public static final SigningKeySet NONE = new SigningKeySet(Map.of(), List.of(), "");

    public SigningKeySet {
        byKid = Map.copyOf(byKid);
        all = List.copyOf(all);
    }

    /** Reads {@code content}; fails with a message that names what is wrong, never with a key in it. */
    public static SigningKeySet parse(String content, SignatureAlgorithm algorithm) {
        String text = content.strip();
        Map<String, PublicKey> byKid = new LinkedHashMap<>();
        List<PublicKey> all = new ArrayList<>();
        if (text.startsWith("{")) {
            List<JsonWebKey> keys;
            try {
                keys = KeyUtils.loadJsonWebKeys(text);
            } catch (RuntimeException e) {
                keys = null;
            }
            if (keys == null) {
                throw new IllegalArgumentException("The signing keys are neither a JWK nor a JWK set");
            }
            for (JsonWebKey key : keys) {
                if (key instanceof PublicJsonWebKey publicKey && !"enc".equals(key.getUse())) {
                    all.add(publicKey.getPublicKey());
                    if (key.getKeyId() != null) {
                        byKid.put(key.getKeyId(), publicKey.getPublicKey());
                    }
                }
            }
        } else {
            try {
                all.add(KeyUtils.decodePublicKey(text, algorithm));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw new IllegalArgumentException("The signing key is not a PEM public key of algorithm " + algorithm, e);
            }
        }
        if (all.isEmpty()) {
            throw new IllegalArgumentException("The signing keys hold no public signature key");
        }
        return new SigningKeySet(byKid, all, fingerprint(byKid, all));
    }

    /** The SHA-256 of one public key's encoded form, hex: how a key is named in logs and checks. */
    public static String fingerprint(PublicKey key) {
        return HexFormat.of().formatHex(sha256().digest(key.getEncoded()));
    }

    /**
     * Changes exactly when a key or a kid changes, not with the layout of the document nor the order
     * of its keys (an identity provider may list them in another order at every reload).
     */
    private static String fingerprint(Map<String, PublicKey> byKid, List<PublicKey> all) {
        List<String> named = new ArrayList<>();
        byKid.forEach((kid, key) -> named.add(kid + '\n' + fingerprint(key)));
        List<String> keys = new ArrayList<>(all.stream().map(SigningKeySet::fingerprint).toList());
        Collections.sort(named);
        Collections.sort(keys);
        MessageDigest digest = sha256();
        digest.update(String.join("\n", named).getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(String.join("\n", keys).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * The key that may have signed a token with this {@code kid} (null when it names none), by
     * SmallRye JWT's rules: the key the kid names; otherwise the set's only key, if the token names
     * no kid or that key has none (a PEM key). Empty when no key may: a set of several keys verifies
     * only tokens that name one of them.
     */
    public List<PublicKey> candidates(String kid) {
        if (kid != null && byKid.containsKey(kid)) {
            return List.of(byKid.get(kid));
        }
        if (all.size() == 1 && (kid == null || byKid.isEmpty())) {
            return all;
        }
        return List.of();
    }

    public boolean isEmpty() {
        return all.isEmpty();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
