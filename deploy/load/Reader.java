import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Public batch reads of the drill's first (up to) 50 items, a probe every 50 ms: they must keep answering 200. */
final class Reader implements Runnable {

    private final Run run;

    Reader(Run run) {
        this.run = run;
    }

    @Override
    public void run() {
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < Math.min(run.items, 50); i++) {
            ids.append(i == 0 ? "" : ",").append(run.ns).append("-i").append(i);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(run.url + "/v1/items?ids=" + ids)).timeout(Run.REQUEST_TIMEOUT).build();
        Tally tally = run.tally;
        while (!run.stopping.get()) {
            tally.reads.increment();
            long sent = System.nanoTime();
            try {
                HttpResponse<String> response = run.http.send(request, HttpResponse.BodyHandlers.ofString());
                tally.countHang(sent, System.nanoTime());
                if (response.statusCode() != 200) {
                    tally.readFailed(response.statusCode() + (Tally.fromProxy(response) ? "-proxy" : ""));
                }
            } catch (IOException e) {
                tally.countHang(sent, System.nanoTime());
                tally.readFailed("io");
            } catch (InterruptedException e) {
                return;
            }
            Run.sleep(50); // a probe, not load: the writers are the load
        }
    }
}
