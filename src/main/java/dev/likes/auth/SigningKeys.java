package dev.likes.auth;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.likes.config.LikesConfig;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.util.ResourceUtils;
import io.vertx.core.Vertx;

/**
 * The key set tokens are verified with, read from {@code mp.jwt.verify.publickey.location} (a PEM file
 * or a JWKS file or URL) or {@code mp.jwt.verify.publickey}, and read again every
 * {@code likes.auth.keys-reload-interval} on a worker thread, so that a rotated key (a new JWKS at the
 * identity provider, a new Secret mounted as a file) takes effect without a restart. A token naming a
 * kid the set lacks asks for an early reload, at most one per {@link #EARLY_RELOAD_GAP}. A reload that
 * fails keeps the keys it had. Each new set gets a new {@link Current#generation()}: the verified-token cache
 * forgets everything verified with an older one.
 */
@ApplicationScoped
public class SigningKeys {

    /**
     * The SHA-256 of the published dev key (deploy/dev-keys/public.pem, DER): anyone can sign tokens
     * with its private half, which is in the repository.
     */
    static final String PUBLISHED_DEV_KEY = "beebff83b3db8ca93fdfa50cf0804115a6f9977df71b45c03399643f8670dab2";

    /** Unknown kids (a key the identity provider has just published, or made-up ones) reload no more often. */
    static final Duration EARLY_RELOAD_GAP = Duration.ofSeconds(10);
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(5);
    private static final Logger LOG = Logger.getLogger(SigningKeys.class);

    private final Optional<String> location;
    private final Optional<String> inline;
    private final SignatureAlgorithm algorithm;
    private final LikesConfig config;
    private final AtomicBoolean reloading = new AtomicBoolean();
    private final AtomicLong lastReload = new AtomicLong(System.nanoTime() - EARLY_RELOAD_GAP.toNanos());
    private volatile Current current = new Current(SigningKeySet.NONE, 0);
    private Vertx vertx;
    private long timer = -1;

    /** A key set and its generation, read together. */
    public record Current(SigningKeySet keys, long generation) {
    }

    /** SmallRye JWT's own settings, read as set at run time (its context holds the content read at start). */
    public SigningKeys(LikesConfig config,
            @ConfigProperty(name = "mp.jwt.verify.publickey.location") Optional<String> location,
            @ConfigProperty(name = "mp.jwt.verify.publickey") Optional<String> inline,
            @ConfigProperty(name = "mp.jwt.verify.publickey.algorithm", defaultValue = "RS256") String algorithms) {
        this.config = config;
        this.location = setting(location);
        this.inline = setting(inline);
        // A list ("RS256,ES256") is allowed; a PEM key is read as the first's kind.
        this.algorithm = SignatureAlgorithm.fromAlgorithm(algorithms.split(",")[0].strip());
    }

    void start(@Observes StartupEvent start, Vertx vertx) {
        if (!config.auth().enabled() || source() == null) {
            return;
        }
        this.vertx = vertx;
        try {
            reload();
        } catch (PublishedDevKeyRefused e) {
            throw e;
        } catch (RuntimeException e) {
            if (!isRemote(source())) {
                throw new IllegalStateException("Cannot read the token signing keys at " + source() + ": " + e.getMessage(), e);
            }
            LOG.errorf("Cannot fetch the token signing keys from %s (%s); every token is refused until a reload succeeds",
                    source(), e.getMessage());
        }
        long every = config.auth().keysReloadInterval().toMillis();
        if (every > 0) {
            timer = vertx.setPeriodic(every, tick -> reloadInBackground());
        }
    }

    void stop(@Observes ShutdownEvent stop) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    public Current current() {
        return current;
    }

    /** A token named a kid the set lacks: reload soon, unless a reload was done or asked for lately. */
    public void unknownKid() {
        if (vertx != null && System.nanoTime() - lastReload.get() > EARLY_RELOAD_GAP.toNanos()) {
            reloadInBackground();
        }
    }

    /** Reads the keys now (blocking: a worker thread or the start); true when they changed. */
    public boolean reload() {
        lastReload.set(System.nanoTime());
        SigningKeySet read = SigningKeySet.parse(read(), algorithm);
        boolean devKey = holdsThePublishedDevKey(read);
        Current before = current;
        if (read.fingerprint().equals(before.keys().fingerprint())) {
            return false;
        }
        current = new Current(read, before.generation() + 1);
        if (devKey) {
            LOG.warn("Tokens signed with the PUBLISHED dev key (deploy/dev-keys) are trusted: anyone can mint them. "
                    + "Use your identity provider's keys anywhere but on your own machine.");
        }
        if (before.generation() > 0) {
            LOG.infof("The token signing keys changed (%d keys now); tokens verified with the old set are verified again", read.all().size());
        }
        return true;
    }

    /**
     * Production never trusts the published dev key, whatever the issuer is called, unless the
     * operator says so in a setting whose name says what it does; dev mode and tests trust it.
     */
    private boolean holdsThePublishedDevKey(SigningKeySet keys) {
        if (keys.all().stream().map(SigningKeySet::fingerprint).noneMatch(PUBLISHED_DEV_KEY::equals)) {
            return false;
        }
        if (LaunchMode.current() == LaunchMode.NORMAL && !config.auth().insecureTrustPublishedDevKey()) {
            throw new PublishedDevKeyRefused("The token signing keys at " + source() + " include the PUBLISHED dev key "
                    + "(deploy/dev-keys): anyone can mint tokens for it. Use your identity provider's keys; on your own "
                    + "machine only, LIKES_AUTH_INSECURE_TRUST_PUBLISHED_DEV_KEY=true starts anyway");
        }
        return true;
    }

    /** Production refuses to start with (or to rotate to) the published dev key. */
    static final class PublishedDevKeyRefused extends IllegalStateException {
        PublishedDevKeyRefused(String message) {
            super(message);
        }
    }

    private void reloadInBackground() {
        if (!reloading.compareAndSet(false, true)) {
            return;
        }
        vertx.executeBlocking(() -> reload(), false).onComplete(done -> {
            reloading.set(false);
            if (done.failed()) {
                LOG.warnf("Reading the token signing keys from %s failed (%s); the last ones read stay in use",
                        source(), done.cause().getMessage());
            }
        });
    }

    private String read() {
        if (inline.isPresent()) {
            return inline.get();
        }
        try {
            return ResourceUtils.readResource(location.orElseThrow(), new BoundedFetch());
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** A SmallRye JWT setting if it is really set: SmallRye's own spelling of "not set" is NONE. */
    static Optional<String> setting(Optional<String> value) {
        return value.filter(text -> !text.isBlank() && !text.equals("NONE"));
    }

    /** Where the keys come from, or null when nothing is set (SmallRye JWT spells that NONE). */
    private String source() {
        return inline.isPresent() ? "mp.jwt.verify.publickey" : location.orElse(null);
    }

    private static boolean isRemote(String location) {
        return location.startsWith("http:") || location.startsWith("https:");
    }

    /** An identity provider that does not answer holds a worker thread for seconds, not for ever. */
    private static final class BoundedFetch extends ResourceUtils.UrlStreamResolver {
        @Override
        public InputStream resolve(String address) throws IOException {
            URLConnection connection = new URL(address).openConnection();
            connection.setConnectTimeout((int) FETCH_TIMEOUT.toMillis());
            connection.setReadTimeout((int) FETCH_TIMEOUT.toMillis());
            return connection.getInputStream();
        }
    }
}
