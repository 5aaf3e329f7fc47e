package dev.likes.auth;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import javax.crypto.SecretKey;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.Claims;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.lang.JoseException;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import dev.likes.config.LikesConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.DefaultJWTTokenParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * Verifies each bearer token once. Quarkus' JWT authentication asks this parser (it replaces SmallRye's
 * as the {@link JWTParser} bean) for every request that needs an identity; a browser or a backend
 * sends the same token for many requests, and checking an RS256 signature and the claims each time
 * cost about a third of the service's throughput.
 * <ul>
 * <li>A token is verified by SmallRye JWT's own parser (signature, issuer, audience, expiry, required
 * claims), with the key its kid names in {@link SigningKeys}.</li>
 * <li>What it verified is kept under the SHA-256 of the token, never the token: the cached claims
 * lose the raw token too. An entry ends at the token's {@code exp} at the latest (or when it gets
 * older than {@code mp.jwt.verify.token.age}, if set), when the key set changes, or when
 * {@code likes.auth.token-cache.max-tokens} others push it out.</li>
 * <li>A refused token is not kept: it is checked again each time (and costs its sender as much).</li>
 * </ul>
 */
@Alternative
@Priority(1)
@ApplicationScoped
@Startup // its counters are exported from the start, before the first token
public class VerifiedTokens implements JWTParser {

    private final DefaultJWTParser smallRye;
    private final DefaultJWTTokenParser tokenParser = new DefaultJWTTokenParser();
    private final JWTAuthContextInfo context;
    private final SigningKeys keys;
    private final Cache<String, Verified> verified;
    private final Counter verifications;
    private final Counter reuses;
    private final Counter refusals;
    private volatile long generation;

    /** A verified token's claims (without the raw token), its end, and the key set it was verified with. */
    record Verified(JsonWebToken token, long expiresAtMillis, long generation) {
    }

    /**
     * {@code mp.jwt.verify.clock.skew} and {@code mp.jwt.verify.token.age} are read here, as set at
     * run time: SmallRye's context, built at start in Quarkus, keeps its defaults whatever they say.
     */
    public VerifiedTokens(DefaultJWTParser smallRye, JWTAuthContextInfo context, SigningKeys keys, LikesConfig config,
            MeterRegistry registry, @ConfigProperty(name = "mp.jwt.verify.clock.skew", defaultValue = "60") int clockSkew,
            @ConfigProperty(name = "mp.jwt.verify.token.age") Optional<Long> tokenAge) {
        this.smallRye = smallRye;
        this.context = new JWTAuthContextInfo(context);
        this.context.setClockSkew(clockSkew);
        tokenAge.ifPresent(this.context::setTokenAge);
        this.context.setPublicKeyLocation(null);
        this.context.setPublicKeyContent(null);
        this.keys = keys;
        this.verified = Caffeine.newBuilder()
                .maximumSize(config.auth().tokenCache().maxTokens())
                .expireAfter(new UntilExpiry())
                .build();
        String name = "likes_auth_tokens";
        String help = "Bearer tokens presented: verified in full, reused from the cache, or refused";
        this.verifications = Counter.builder(name).description(help).tag("outcome", "verified").register(registry);
        this.reuses = Counter.builder(name).description(help).tag("outcome", "cached").register(registry);
        this.refusals = Counter.builder(name).description(help).tag("outcome", "refused").register(registry);
    }

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        SigningKeys.Current current = keys.current();
        if (current.generation() != generation) {
            verified.invalidateAll();
            generation = current.generation();
        }
        String id = digest(token);
        long now = System.currentTimeMillis();
        Verified known = verified.getIfPresent(id);
        if (known != null && known.generation() == current.generation() && now < known.expiresAtMillis()) {
            reuses.increment();
            return known.token();
        }
        JsonWebToken checked;
        try {
            checked = verify(token, current.keys());
        } catch (ParseException e) {
            refusals.increment();
            throw e;
        } catch (RuntimeException e) {
            refusals.increment();
            throw new ParseException("The token could not be verified", e);
        }
        verifications.increment();
        long expiresAt = TimeUnit.SECONDS.toMillis(checked.getExpirationTime());
        if (context.getTokenAge() != null) {
            // mp.jwt.verify.token.age: SmallRye refuses a token older than that since its iat.
            expiresAt = Math.min(expiresAt, TimeUnit.SECONDS.toMillis(checked.getIssuedAtTime() + context.getTokenAge()));
        }
        if (expiresAt > now) {
            verified.put(id, new Verified(checked, expiresAt, current.generation()));
        }
        return checked;
    }

    /** How many tokens are kept now (for tests). */
    public long size() {
        verified.cleanUp();
        return verified.estimatedSize();
    }

    private JsonWebToken verify(String token, SigningKeySet set) throws ParseException {
        List<PublicKey> candidates = set.candidates(kid(token));
        if (candidates.isEmpty()) {
            keys.unknownKid();
            throw new ParseException(set.isEmpty() ? "No token signing keys are loaded" : "No known signing key matches the token's kid");
        }
        return withoutRawToken(tokenParser.parse(token, contextFor(candidates.get(0))));
    }

    private JWTAuthContextInfo contextFor(PublicKey key) {
        JWTAuthContextInfo withKey = new JWTAuthContextInfo(context);
        withKey.setPublicVerificationKey(key);
        return withKey;
    }

    /** SmallRye keeps the token among the claims; the cache must not. */
    private static JsonWebToken withoutRawToken(JwtContext verified) {
        JwtClaims claims = verified.getJwtClaims();
        claims.unsetClaim(Claims.raw_token.name());
        return new DefaultJWTCallerPrincipal(claims);
    }

    /** The cache key: the token's SHA-256, 32 chars of one byte each. */
    private static String digest(String token) {
        byte[] hash = SigningKeySet.sha256().digest(token.getBytes(StandardCharsets.US_ASCII));
        return new String(hash, StandardCharsets.ISO_8859_1);
    }

    /** The kid of the token's header, or null; a header that is not JSON fails verification later. */
    private static String kid(String token) {
        int dot = token.indexOf('.');
        if (dot <= 0) {
            return null;
        }
        try {
            String header = new String(Base64.getUrlDecoder().decode(token.substring(0, dot)), StandardCharsets.UTF_8);
            Map<String, Object> fields = JsonUtil.parseJson(header);
            return fields.get("kid") instanceof String kid ? kid : null;
        } catch (IllegalArgumentException | JoseException e) {
            return null;
        }
    }

    /** An entry lives until its token's exp, measured by the cache's own clock. */
    private static final class UntilExpiry implements Expiry<String, Verified> {
        @Override
        public long expireAfterCreate(String id, Verified entry, long now) {
            return TimeUnit.MILLISECONDS.toNanos(Math.max(0, entry.expiresAtMillis() - System.currentTimeMillis()));
        }

        @Override
        public long expireAfterUpdate(String id, Verified entry, long now, long duration) {
            return expireAfterCreate(id, entry, now);
        }

        @Override
        public long expireAfterRead(String id, Verified entry, long now, long duration) {
            return duration;
        }
    }

    // The rest of JWTParser: explicit keys or contexts, not the request path; SmallRye's parser as is.

    @Override
    public JsonWebToken parse(String token, JWTAuthContextInfo info) throws ParseException {
        return smallRye.parse(token, info);
    }

    @Override
    public JsonWebToken verify(String token, PublicKey key) throws ParseException {
        return smallRye.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, SecretKey key) throws ParseException {
        return smallRye.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, String secret) throws ParseException {
        return smallRye.verify(token, secret);
    }

    @Override
    public JsonWebToken decrypt(String token, java.security.PrivateKey key) throws ParseException {
        return smallRye.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, SecretKey key) throws ParseException {
        return smallRye.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, String secret) throws ParseException {
        return smallRye.decrypt(token, secret);
    }

    @Override
    public JsonWebToken parseOnly(String token) throws ParseException {
        return smallRye.parseOnly(token);
    }
}
