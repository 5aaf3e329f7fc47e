package dev.likes.http;

import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;

import org.jboss.logging.Logger;

import dev.likes.config.LikesConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.quarkus.vertx.http.HttpServerStart;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.impl.HttpServerImpl;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.impl.TCPServerBase;

/**
 * Cuts off clients too slow to send a request head on the public port ({@link HeadDeadline}, after
 * {@code likes.http.header-timeout}). Neither Quarkus nor Vert.x has such a timeout or a hook on new
 * connections (Vert.x's own idle timeouts count every byte, so a client dribbling a byte a second is
 * never idle), so the guard sits where connections are accepted: it finds the public server's
 * listening channel once it listens and puts a deadline into each connection it accepts, after Vert.x
 * has set the connection up. That reaches into Vert.x's internals (one private field); should a Vert.x
 * upgrade move it, the service still starts and says at start that slow clients are not cut off.
 * The management port (health, metrics) is left alone.
 */
@ApplicationScoped
public class SlowClientGuard {

    private static final Logger LOG = Logger.getLogger(SlowClientGuard.class);
    private static final String ACCEPTOR = "likes-slow-client-guard";

    private final long timeoutNanos;
    private final Counter closed;
    /** Whether a connection the guard could not put a deadline into was seen (said once). */
    private final AtomicBoolean unguarded = new AtomicBoolean();

    public SlowClientGuard(LikesConfig config, MeterRegistry registry) {
        this.timeoutNanos = config.http().headerTimeout().toNanos();
        this.closed = Counter.builder("likes.http.slow.clients")
                .description("Connections closed because a request head did not arrive whole within likes.http.header-timeout")
                .register(registry);
    }

    /** Each of the public server's event loops reports its start; the guard goes in once. */
    synchronized void guard(@ObservesAsync HttpServerStart start, Vertx vertx) {
        int port = start.options().getPort();
        try {
            for (HttpServerImpl server : ((VertxInternal) vertx).sharedHttpServers().values()) {
                if (server.actualPort() == port) {
                    Channel listening = listeningChannel(server);
                    if (listening.pipeline().get(ACCEPTOR) == null) {
                        listening.pipeline().addFirst(ACCEPTOR, new Acceptor());
                    }
                    return;
                }
            }
            throw new IllegalStateException("no server listens on port " + port);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warnf("Slow clients are NOT cut off on the public port (the HTTP layer did not let the guard in: %s); "
                    + "put a proxy with a header timeout in front", e.toString());
        }
    }

    @SuppressWarnings("unchecked")
    private static Channel listeningChannel(HttpServerImpl server) throws ReflectiveOperationException {
        Field bound = TCPServerBase.class.getDeclaredField("bindFuture");
        bound.setAccessible(true);
        return ((Future<Channel>) bound.get(server)).result();
    }

    /** On the listening channel: each accepted connection gets an installer, ahead of Vert.x's set-up. */
    @ChannelHandler.Sharable
    private final class Acceptor extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Channel accepted) {
                accepted.pipeline().addFirst(new Installer());
            }
            ctx.fireChannelRead(msg);
        }
    }

    /**
     * On an accepted connection: once Vert.x has set it up (by its registration, with HTTP/1.1 only;
     * at the latest by its first bytes), puts the deadline in and steps aside.
     */
    private final class Installer extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRegistered(ChannelHandlerContext ctx) {
            tryInstall(ctx, false);
            ctx.fireChannelRegistered();
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            tryInstall(ctx, false);
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            tryInstall(ctx, true);
            ctx.fireChannelRead(msg);
        }

        private void tryInstall(ChannelHandlerContext ctx, boolean last) {
            if (ctx.isRemoved()) {
                return;
            }
            boolean installed = HeadDeadline.install(ctx.pipeline(), timeoutNanos, closed);
            if (installed || last) {
                ctx.pipeline().remove(this);
            }
            if (!installed && last && unguarded.compareAndSet(false, true)) {
                LOG.warnf("A connection of the public port is not HTTP/1.1 as set up at accept (QUARKUS_HTTP_HTTP2=true?): "
                        + "slow clients are not cut off on such connections; handlers %s", ctx.pipeline().names());
            }
        }
    }
}
