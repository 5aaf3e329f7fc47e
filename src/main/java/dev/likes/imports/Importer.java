package dev.likes.imports;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongFunction;

import jakarta.enterprise.context.ApplicationScoped;

import dev.likes.citus.CitusCluster;
import dev.likes.config.LikesConfig;
import dev.likes.counting.CountAnnouncer;
import dev.likes.ops.RecountService;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * Runs an import: reads the source a batch at a time from where the import's last run stopped,
 * skips (and reports) bad rows, loads each batch in one transaction with the import's new position
 * ({@link ImportStore#load}), announces the changed items as clicks do, prints a progress line every
 * {@value #PROGRESS_EVERY_SECONDS} seconds, and ends with the drift check of every item the import
 * changed. Blocking: it runs on the command's own thread (or a test's), never on an event loop.
 */
@ApplicationScoped
public class Importer {

    static final int BAD_ROWS_SHOWN = 100;
    static final int PROGRESS_EVERY_SECONDS = 2;
    private static final Duration WAIT = Duration.ofMinutes(5);

    private final ImportStore store;
    private final RecountService recounts;
    private final CountAnnouncer announcer;
    private final CitusCluster citus;
    private final Vertx vertx;
    private final Clock clock;
    private final int checkBatch;

    public Importer(ImportStore store, RecountService recounts, CountAnnouncer announcer, CitusCluster citus, Vertx vertx,
            Clock clock, LikesConfig config) {
        this.store = store;
        this.recounts = recounts;
        this.announcer = announcer;
        this.citus = citus;
        this.vertx = vertx;
        this.clock = clock;
        this.checkBatch = config.recount().batchSize();
    }

    /** Imports a CSV file whose header names {@code columns}. */
    public ImportReport fromCsv(String name, Path file, Columns columns, int batch, Consumer<String> progress) {
        return run(name, "csv:" + file.toAbsolutePath(), position -> new CsvSource(file, columns, position), batch, progress);
    }

    /** Imports the {@code columns} of {@code table} in the PostgreSQL database at {@code url}. */
    public ImportReport fromTable(String name, String url, String table, Columns columns, int batch, Consumer<String> progress) {
        return run(name, "table:" + table, position -> new TableSource(vertx, url, table, columns, position), batch, progress);
    }

    ImportReport run(String name, String described, LongFunction<LikeSource> open, int batch, Consumer<String> progress) {
        if (citus.known(() -> Uni.createFrom().item(citus.active())).await().atMost(WAIT)) {
            throw new IllegalStateException("imports are not offered on Citus (docs/citus.md): import into one PostgreSQL, then distribute");
        }
        long started = System.nanoTime();
        long from = store.begin(name, described).await().atMost(WAIT);
        long position = from;
        Tally tally = new Tally();
        long lastProgress = started;
        try (LikeSource source = open.apply(from)) {
            while (true) {
                List<SourceRow> rows = source.next(batch);
                if (rows.isEmpty()) {
                    break;
                }
                List<SourceRow.Good> likes = new ArrayList<>(rows.size());
                OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
                for (SourceRow row : rows) {
                    SourceRow.Checked checked = row.check(now.toInstant());
                    if (checked instanceof SourceRow.Good good) {
                        likes.add(good);
                    } else if (checked instanceof SourceRow.Bad bad) {
                        tally.bad(bad);
                    }
                }
                long to = position + rows.size();
                if (likes.isEmpty()) {
                    // Bad rows only: the position still moves past them (an empty batch loads nothing).
                    store.load(name, position, to, likes, now).await().atMost(WAIT);
                } else {
                    ImportStore.Loaded loaded = store.load(name, position, to, likes, now).await().atMost(WAIT);
                    tally.loaded(likes.size(), loaded);
                    if (!loaded.items().isEmpty()) {
                        announcer.changed(new LinkedHashSet<>(loaded.items()));
                    }
                }
                position = to;
                tally.read += rows.size();
                long nowNanos = System.nanoTime();
                if (nowNanos - lastProgress >= PROGRESS_EVERY_SECONDS * 1_000_000_000L) {
                    lastProgress = nowNanos;
                    progress.accept(Progress.line(name, tally.read, source.readFraction(), Duration.ofNanos(nowNanos - started)));
                }
            }
        }
        long[] checked = driftCheck(name);
        double seconds = (System.nanoTime() - started) / 1e9;
        return new ImportReport(name, from, tally.read, tally.loaded, tally.duplicates, tally.barred, tally.bad,
                List.copyOf(tally.badRows), checked[0], checked[1], seconds);
    }

    /** The drift check over every item the import changed (this run and earlier ones): {checked, drifted}. */
    private long[] driftCheck(String name) {
        long checked = 0;
        long drifted = 0;
        String after = "";
        while (true) {
            List<String> ids = store.touched(name, after, checkBatch).await().atMost(WAIT);
            if (ids.isEmpty()) {
                return new long[] {checked, drifted};
            }
            checked += ids.size();
            drifted += recounts.drifted(ids).await().atMost(WAIT).size();
            after = ids.get(ids.size() - 1);
        }
    }

    /** The running totals of one run. */
    private static final class Tally {
        long read;
        long loaded;
        long duplicates;
        long barred;
        long bad;
        final List<SourceRow.Bad> badRows = new ArrayList<>();

        void bad(SourceRow.Bad row) {
            bad++;
            if (badRows.size() < BAD_ROWS_SHOWN) {
                badRows.add(row);
            }
        }

        void loaded(int given, ImportStore.Loaded batch) {
            loaded += batch.loaded();
            barred += batch.barred();
            duplicates += given - batch.loaded() - batch.barred();
        }
    }
}
