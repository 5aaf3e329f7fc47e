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
        assertEquals(List.of(), set.candidates("c"), "every key has a kid, none this one");
        assertEquals(2, set.candidates(null).size(), "no kid: every signing key may have signed");
    }

    @Test
    void aTokensUnknownKidMayStillBeAKeyWithoutKid() {
        String jwks = "{\"keys\": [" + jwk("a", first, null) + ", " + jwk(null, second, null) + "]}";
        SigningKeySet set = SigningKeySet.parse(jwks, SignatureAlgorithm.RS256);
        assertEquals(List.of(second.getPublic()), set.candidates("rotated-in"));
        assertEquals(List.of(first.getPublic()), set.candidates("a"));
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
