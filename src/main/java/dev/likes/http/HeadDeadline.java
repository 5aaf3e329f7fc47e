package dev.likes.http;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * One connection's deadline for request heads: a head must arrive whole within the header timeout of
 * the connection's opening, or of the first byte that follows a finished answer; otherwise the
 * connection is closed. A client that dribbles its head a byte at a time (a slow-loris attack) is
 * cut off then, however often it sends. Between a head and the end of its answer (a live stream's
 * whole life) there is no deadline, and between an answer and the next request's first byte the
 * HTTP layer's idle timeout applies instead.
 * <p>
 * Two handlers share the state, both on the connection's event loop: one before the HTTP decoder sees
 * bytes arrive, one after it sees whole heads come in and answers go out. The timer is checked, not
 * moved, per request: a field write, no scheduling on the click's path.
 */
final class HeadDeadline {

    /** Where Vert.x's HTTP/1 pipeline decodes requests, and where its connection handles them. */
    static final String DECODER = "httpDecoder";
    static final String CONNECTION = "handler";

    private final long timeoutNanos;
    private final Counter closed;
    /** The following are touched on the connection's event loop only. */
    private int heads;
    private int answers;
    private boolean armed;
    private long deadline;
    private ScheduledFuture<?> check;

    private HeadDeadline(long timeoutNanos, Counter closed) {
        this.timeoutNanos = timeoutNanos;
        this.closed = closed;
    }

    /**
     * Puts a deadline into a connection whose HTTP/1 pipeline Vert.x has set up; false (nothing done)
     * when it is not one (another protocol, or a Vert.x that names its handlers otherwise).
     */
    static boolean install(ChannelPipeline pipeline, long timeoutNanos, Counter closed) {
        if (pipeline.get(DECODER) == null || pipeline.get(CONNECTION) == null) {
            return false;
        }
        HeadDeadline deadline = new HeadDeadline(timeoutNanos, closed);
        pipeline.addBefore(DECODER, "likes-head-bytes", deadline.new Bytes());
        pipeline.addBefore(CONNECTION, "likes-head-ends", deadline.new Heads());
        deadline.arm(pipeline.context("likes-head-bytes"));
        return true;
    }

    /** Whether every head so far has had its answer. */
    private boolean between() {
        return answers >= heads;
    }

    private void arm(ChannelHandlerContext ctx) {
        armed = true;
        deadline = System.nanoTime() + timeoutNanos;
        if (check == null) {
            check = ctx.executor().schedule(() -> check(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void check(ChannelHandlerContext ctx) {
        check = null;
        if (!armed || !ctx.channel().isActive()) {
            return;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            closed.increment();
            ctx.channel().close();
        } else {
            check = ctx.executor().schedule(() -> check(ctx), left, TimeUnit.NANOSECONDS);
        }
    }

    /** Before the decoder: the first bytes after a finished answer start the next head's deadline. */
    private final class Bytes extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!armed && between() && msg instanceof ByteBuf bytes && bytes.isReadable()) {
                arm(ctx);
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            armed = false;
            if (check != null) {
                check.cancel(false);
                check = null;
            }
            ctx.fireChannelInactive();
        }
    }

    /** After the decoder: a whole head ends the deadline; the end of every answer so far lets the next one start. */
    private final class Heads extends ChannelDuplexHandler {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest) {
                heads++;
                armed = false;
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof LastHttpContent && !(msg instanceof HttpResponse interim && interim.status().codeClass() == HttpStatusClass.INFORMATIONAL)) {
                answers++;
            }
            ctx.write(msg, promise);
        }
    }
}
