package dev.likes.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.likes.support.Tokens;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;

/** The key set read from a PEM or a JWKS, without Quarkus. */
class SigningKeySetTest {

    private final KeyPair first = Tokens.newKeyPair();
    private final KeyPair second = Tokens.newKeyPair();

    @Test
    void aPemHoldsOneKeyForEveryKid() {
        SigningKeySet set = SigningKeySet.parse(Tokens.pem(first.getPublic()), SignatureAlgorithm.RS256);
        assertEquals(List.of(first.getPublic()), set.candidates(null));
        assertEquals(List.of(first.getPublic()), set.candidates("any"), "a PEM key has no kid: it may have signed any");
    }

    @Test
    void aJwksNamesItsKeysByKidAndLeavesOutEncryptionKeys() {
        String jwks = "{\"keys\": [" + jwk("a", first, "sig") + ", " + jwk("b", second, null) + ", "
                + jwk("c", Tokens.newKeyPair(), "enc") + "]}";
        SigningKeySet set = SigningKeySet.parse(jwks, SignatureAlgorithm.RS256);
        assertEquals(List.of(first.getPublic()), set.candidates("a"));
        assertEquals(List.of(second.getPublic()), set.candidates("b"));
        assertEquals(List.of(), set.candidates("c"), "an encryption key never verifies");
        assertEquals(List.of(), set.candidates(null), "a set of several keys verifies only tokens that name one");
    }

    @Test
    void onlyASetsOnlyKeyVerifiesATokenWhoseKidItDoesNotName() {
        SigningKeySet one = SigningKeySet.parse("{\"keys\": [" + jwk(null, second, null) + "]}", SignatureAlgorithm.RS256);
        assertEquals(List.of(second.getPublic()), one.candidates("any"), "the only key, and it has no kid");
        SigningKeySet named = SigningKeySet.parse("{\"keys\": [" + jwk("a", first, null) + "]}", SignatureAlgorithm.RS256);
        assertEquals(List.of(first.getPublic()), named.candidates(null), "a token without kid, the only key");
        assertEquals(List.of(), named.candidates("b"), "a kid the only key does not have");
        SigningKeySet several = SigningKeySet.parse("{\"keys\": [" + jwk("a", first, null) + ", " + jwk(null, second, null) + "]}",
                SignatureAlgorithm.RS256);
        assertEquals(List.of(), several.candidates("rotated-in"));
        assertEquals(List.of(first.getPublic()), several.candidates("a"));
    }

    @Test
    void theFingerprintFollowsTheKeysNotTheLayout() {
        String one = "{\"keys\": [" + jwk("a", first, null) + "]}";
        String spaced = "\n  {\"keys\":\n [ " + jwk("a", first, null) + " ] }\n";
        String renamed = "{\"keys\": [" + jwk("b", first, null) + "]}";
        String rotated = "{\"keys\": [" + jwk("a", second, null) + "]}";
        String fingerprint = SigningKeySet.parse(one, SignatureAlgorithm.RS256).fingerprint();
        assertEquals(fingerprint, SigningKeySet.parse(spaced, SignatureAlgorithm.RS256).fingerprint());
        assertNotEquals(fingerprint, SigningKeySet.parse(renamed, SignatureAlgorithm.RS256).fingerprint());
        assertNotEquals(fingerprint, SigningKeySet.parse(rotated, SignatureAlgorithm.RS256).fingerprint());
    }

    @Test
    void theFingerprintIgnoresTheOrderOfTheKeys() {
        KeyPair third = Tokens.newKeyPair();
        String ordered = "{\"keys\": [" + jwk("a", first, null) + ", " + jwk("b", second, null) + ", " + jwk(null, third, null) + "]}";
        String reordered = "{\"keys\": [" + jwk(null, third, null) + ", " + jwk("b", second, null) + ", " + jwk("a", first, null) + "]}";
        String swapped = "{\"keys\": [" + jwk("a", second, null) + ", " + jwk("b", first, null) + ", " + jwk(null, third, null) + "]}";
        String fingerprint = SigningKeySet.parse(ordered, SignatureAlgorithm.RS256).fingerprint();
        assertEquals(fingerprint, SigningKeySet.parse(reordered, SignatureAlgorithm.RS256).fingerprint(),
                "an identity provider that lists its keys in another order has not rotated any");
        assertNotEquals(fingerprint, SigningKeySet.parse(swapped, SignatureAlgorithm.RS256).fingerprint(), "kids given to other keys");
    }

    @Test
    void contentThatHoldsNoSigningKeyIsRefusedWithoutEchoingIt() {
        for (String bad : List.of("not a key", "{\"keys\": []}", "{\"keys\": [" + jwk("c", first, "enc") + "]}", "{broken")) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> SigningKeySet.parse(bad, SignatureAlgorithm.RS256), bad);
            assertFalse(refused.getMessage().contains(bad), refused.getMessage());
        }
        assertTrue(SigningKeySet.NONE.isEmpty());
    }

    private static String jwk(String kid, KeyPair pair, String use) {
        RSAPublicKey key = (RSAPublicKey) pair.getPublic();
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        return "{\"kty\":\"RSA\"" + (kid == null ? "" : ",\"kid\":\"" + kid + "\"") + (use == null ? "" : ",\"use\":\"" + use + "\"")
                + ",\"n\":\"" + base64.encodeToString(unsigned(key.getModulus().toByteArray()))
                + "\",\"e\":\"" + base64.encodeToString(unsigned(key.getPublicExponent().toByteArray())) + "\"}";
    }

    private static byte[] unsigned(byte[] twosComplement) {
        return twosComplement[0] == 0 ? java.util.Arrays.copyOfRange(twosComplement, 1, twosComplement.length) : twosComplement;
    }
}
