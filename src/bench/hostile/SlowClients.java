import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * Slow clients against one replica (src/bench/hostile/run.sh): many connections that send a request
 * head one byte every few seconds, never finishing it (a slow-loris attack), while {@link Probe}
 * watches what a real user and the operator see. Prints how many connections the service still held
 * after 15 s and at the end, and how soon it cut the others off.
 * <pre>
 * java SlowClients URL MGMT_URL PID CONNECTIONS SECONDS [BYTE_EVERY_SECONDS]
 * </pre>
 */
public class SlowClients {

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        Probe probe = new Probe(base, URI.create(args[1]), Long.parseLong(args[2]));
        int connections = Integer.parseInt(args[3]);
        long seconds = Long.parseLong(args[4]);
        long every = (args.length > 5 ? Long.parseLong(args[5]) : 5) * 1_000_000_000L;

        probe.start("slow");
        Selector selector = Selector.open();
        List<Long> cutOff = new ArrayList<>();
        long start = System.nanoTime();
        int opened = 0;
        int refused = 0;
        for (int i = 0; i < connections; i++) {
            try {
                SocketChannel channel = SocketChannel.open();
                // Spread over loopback addresses, as clients from many places would be.
                channel.bind(new InetSocketAddress("127.0.5." + (i % 250 + 1), 0));
                channel.connect(new InetSocketAddress(base.getHost(), base.getPort()));
                channel.configureBlocking(false);
                channel.write(ByteBuffer.wrap(("GET /v1/items/slow-" + i + " HTTP/1.1\r\nHost: x\r\n").getBytes(StandardCharsets.US_ASCII)));
                channel.register(selector, SelectionKey.OP_READ, System.nanoTime());
                opened++;
            } catch (IOException e) {
                refused++;
            }
        }
        long openedIn = System.nanoTime() - start;
        long deadline = start + seconds * 1_000_000_000L;
        long nextByte = start + every;
        int heldAt15 = -1;
        ByteBuffer sink = ByteBuffer.allocate(4096);
        while (System.nanoTime() < deadline) {
            selector.select(200);
            Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
            while (ready.hasNext()) {
                SelectionKey key = ready.next();
                ready.remove();
                SocketChannel channel = (SocketChannel) key.channel();
                int read;
                try {
                    sink.clear();
                    read = channel.read(sink);
                } catch (IOException reset) {
                    read = -1;
                }
                if (read < 0) {
                    cutOff.add((System.nanoTime() - (Long) key.attachment()) / 1_000_000);
                    key.cancel();
                    channel.close();
                }
            }
            if (heldAt15 < 0 && System.nanoTime() - start >= 15_000_000_000L) {
                heldAt15 = selector.keys().size();
            }
            if (System.nanoTime() >= nextByte) {
                nextByte += every;
                for (SelectionKey key : new ArrayList<>(selector.keys())) {
                    try {
                        ((SocketChannel) key.channel()).write(ByteBuffer.wrap(new byte[] {'X'}));
                    } catch (IOException reset) {
                        // seen as closed by the next read
                    }
                }
            }
        }
        selector.selectNow();
        int heldAtEnd = selector.keys().size();
        Collections.sort(cutOff);
        Probe.Report report = probe.stop(5);
        System.out.printf("slow clients: %d connections opened in %.1f s (%d refused at connect), a header byte every %d s: "
                + "%d still held after 15 s, %d after %d s; %d cut off by the service (after p50 %d ms, max %d ms)%n",
                opened, openedIn / 1e9, refused, every / 1_000_000_000L, Math.max(heldAt15, 0), heldAtEnd, seconds, cutOff.size(),
                cutOff.isEmpty() ? -1 : cutOff.get(cutOff.size() / 2), cutOff.isEmpty() ? -1 : cutOff.get(cutOff.size() - 1));
        report.print();
        for (SelectionKey key : selector.keys()) {
            key.channel().close();
        }
        System.exit(report.healthy() && heldAtEnd == 0 ? 0 : 1);
    }
}
