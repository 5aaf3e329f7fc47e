package dev.likes.auth;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.AuthenticationException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import dev.likes.api.AccessDeniedException;
import dev.likes.api.NotAuthenticatedException;
import dev.likes.config.LikesConfig;
import dev.likes.config.LikesConfig.OffOpens;
import io.smallrye.mutiny.Uni;

/**
 * Who may do what. Counts and rankings are public. A user's likes (writing them, or reading whether
 * and what they like) need a bearer token for that user ({@code sub} equal to the userId) or for a
 * trusted backend ({@link #ACT_FOR_USERS}); operator calls need {@link #ADMIN}. Tokens are verified by
 * SmallRye JWT, only when a call needs one, so a stale token never breaks a public read. With
 * authentication off, the calls that act for a user are open to anyone, and the operator and lifecycle
 * calls only when {@code likes.auth.off-opens} says so (403 otherwise): turning tokens off to try the
 * like button must not let anyone erase or suspend anyone.
 */
// A singleton, not application-scoped: every click calls it, so no client proxy stands in between.
@Singleton
public class AccessPolicy {

    /** The group (or OAuth scope) of a backend that acts for any user. */
    public static final String ACT_FOR_USERS = "likes:act-for-users";
    /** The group (or OAuth scope) of operators: drift repair, suspensions, removals. */
    public static final String ADMIN = "likes:admin";

    private static final Logger LOG = Logger.getLogger(AccessPolicy.class);

    private final CurrentIdentityAssociation identities;
    private final boolean enabled;
    private final OffOpens offOpens;
    private final boolean scopesGrantGroups;

    public AccessPolicy(CurrentIdentityAssociation identities, LikesConfig config) {
        this.identities = identities;
        this.enabled = config.auth().enabled();
        this.offOpens = config.auth().offOpens();
        this.scopesGrantGroups = config.auth().scopesGrantGroups();
    }

    /** Refuses to start with authentication on but nothing to verify tokens with. */
    void checkConfiguration(@Observes StartupEvent start,
            @ConfigProperty(name = "mp.jwt.verify.publickey.location") Optional<String> keyLocation,
            @ConfigProperty(name = "mp.jwt.verify.publickey") Optional<String> key,
            @ConfigProperty(name = "mp.jwt.verify.issuer") Optional<String> issuer) {
        if (!enabled) {
            LOG.warn(offOpens == OffOpens.ALL_CALLS
                    ? "Authentication is OFF (LIKES_AUTH_ENABLED=false) and LIKES_AUTH_OFF_OPENS=all-calls: anyone who reaches "
                            + "this service can like, unlike and read likes as any user, and also erase any user's likes, remove "
                            + "items, suspend and reinstate users, list who liked an item and run the recount. Private networks only."
                    : "Authentication is OFF (LIKES_AUTH_ENABLED=false): anyone who reaches this service can like, unlike and "
                            + "read likes as any user. Operator and lifecycle calls (erasure, removal, suspension, who liked, "
                            + "job status, recount) answer 403 unless LIKES_AUTH_OFF_OPENS=all-calls. Private networks only.");
            return;
        }
        if ((SigningKeys.setting(keyLocation).isEmpty() && SigningKeys.setting(key).isEmpty()) || SigningKeys.setting(issuer).isEmpty()) {
            throw new IllegalStateException("Authentication is on, so set LIKES_JWT_PUBLIC_KEY_LOCATION (a PEM file or "
                    + "JWKS URL) and LIKES_JWT_ISSUER; or set LIKES_AUTH_ENABLED=false on a private network only");
        }
    }

    /** Completes when the caller may act for {@code userId}; fails with 401 or 403 otherwise. */
    public Uni<Void> actFor(String userId) {
        return require(OffOpens.USER_CALLS, token -> userId.equals(token.getSubject()) || holds(token, ACT_FOR_USERS),
                token -> "This token may act only for user '" + token.getSubject() + "' (its sub), not for '" + userId + "'");
    }

    /** Completes when the caller may act for {@code userId} or is an operator; fails with 401 or 403 otherwise. */
    public Uni<Void> actForOrOperate(String userId) {
        return require(OffOpens.ALL_CALLS, token -> userId.equals(token.getSubject()) || holds(token, ACT_FOR_USERS) || holds(token, ADMIN),
                token -> "This token may act only for user '" + token.getSubject() + "' (its sub), not for '" + userId + "'");
    }

    /** Completes when the caller is a backend acting for users or an operator. */
    public Uni<Void> backendOrOperate() {
        return require(OffOpens.ALL_CALLS, token -> holds(token, ACT_FOR_USERS) || holds(token, ADMIN),
                token -> "This call needs the group " + ACT_FOR_USERS + " or " + ADMIN + "; token of '" + token.getSubject() + "'");
    }

    /** Completes when the caller has a valid token, whoever it is for; fails with 401 otherwise. */
    public Uni<Void> authenticated() {
        return require(OffOpens.ALL_CALLS, token -> true, token -> "");
    }

    /** Completes when the caller is an operator. */
    public Uni<Void> operate() {
        return require(OffOpens.ALL_CALLS, token -> holds(token, ADMIN),
                token -> "This call needs the group " + ADMIN + "; token of '" + token.getSubject() + "'");
    }

    /** With authentication off, a call is open when {@code likes.auth.off-opens} reaches {@code opensIt}. */
    private Uni<Void> require(OffOpens opensIt, Predicate<JsonWebToken> allowed, Function<JsonWebToken, String> refusal) {
        if (!enabled) {
            return offOpens.compareTo(opensIt) >= 0 ? Uni.createFrom().voidItem()
                    : Uni.createFrom().failure(new AccessDeniedException("Operator and lifecycle calls are closed while "
                            + "authentication is off (LIKES_AUTH_ENABLED=false); LIKES_AUTH_OFF_OPENS=all-calls opens them, "
                            + "on a private network only"));
        }
        return identities.getDeferredIdentity()
                .onFailure(failure -> failure instanceof AuthenticationException)
                .transform(failure -> new NotAuthenticatedException(true))
                .map(identity -> {
                    JsonWebToken token = token(identity);
                    if (!allowed.test(token)) {
                        throw new AccessDeniedException(refusal.apply(token));
                    }
                    return null;
                });
    }

    private static JsonWebToken token(SecurityIdentity identity) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            throw new NotAuthenticatedException(false);
        }
        return token;
    }

    private boolean holds(JsonWebToken token, String name) {
        return holds(token, name, scopesGrantGroups);
    }

    /**
     * A group ("groups" claim); with {@code trustScopes} also an OAuth scope ("scope" or "scp":
     * space-separated, or a list). Scopes count only when the operator says so: many identity
     * providers let any client ask for any scope.
     */
    static boolean holds(JsonWebToken token, String name, boolean trustScopes) {
        if (token.getGroups() != null && token.getGroups().contains(name)) {
            return true;
        }
        if (!trustScopes) {
            return false;
        }
        for (String claim : List.of("scope", "scp")) {
            Object scopes = token.getClaim(claim);
            if (scopes != null && Arrays.asList(scopes.toString().replaceAll("[\\[\\]\",]", " ").split(" +")).contains(name)) {
                return true;
            }
        }
        return false;
    }
}
