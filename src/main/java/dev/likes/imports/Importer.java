package dev.likes.imports;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
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
 * Runs an import: reads the source a batch at a time, skipping the batches earlier runs of the
 * import did, reports (and skips) bad rows, loads each batch in one statement that records it done
 * ({@link ImportStore#load}; on Citus one call per shard group, then the record: {@link ShardGroupLoads};
 * {@value #LOADERS} batches at a time), announces the changed items as
 * clicks do, prints a progress line every {@value #PROGRESS_EVERY_SECONDS} seconds, and ends with the
 * drift check of every item the import changed. The reading is blocking: it runs on the command's
 * own thread (or a test's), never on an event loop.
 */
@ApplicationScoped
public class Importer {

    static final int BAD_ROWS_SHOWN = 100;
    static final int PROGRESS_EVERY_SECONDS = 2;
    /** Batches loading side by side: one a core here, while the reading thread parses the next. */
    static final int LOADERS = 2;
    private static final Duration WAIT = Duration.ofMinutes(5);

    private final ImportStore store;
    private final ShardGroupLoads groups;
    private final RecountService recounts;
    private final CountAnnouncer announcer;
    private final CitusCluster citus;
    private final Vertx vertx;
    private final Clock clock;
    private final int checkBatch;

    public Importer(ImportStore store, ShardGroupLoads groups, RecountService recounts, CountAnnouncer announcer, CitusCluster citus,
            Vertx vertx, Clock clock, LikesConfig config) {
        this.store = store;
        this.groups = groups;
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
        boolean sharded = citus.known(() -> Uni.createFrom().item(citus.active())).await().atMost(WAIT);
        long started = System.nanoTime();
        ImportStore.Plan plan = store.begin(name, described, batch).await().atMost(WAIT);
        if (plan.batchSize() != batch) {
            progress.accept("import " + name + ": goes on in its batches of " + plan.batchSize() + " likes (not " + batch + ")");
        }
        int size = plan.batchSize();
        long number = plan.donePrefix();
        Tally tally = new Tally();
        Deque<CompletableFuture<Void>> loading = new ArrayDeque<>();
        long lastProgress = started;
        try (LikeSource source = open.apply(number * size)) {
            while (true) {
                List<SourceRow> rows = source.next(size);
                if (rows.isEmpty()) {
                    break;
                }
                long current = number++;
                if (plan.done().containsKey(current)) {
                    continue; // an earlier run loaded it
                }
                tally.read += rows.size();
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
                while (loading.size() >= LOADERS) {
                    loading.removeFirst().join();
                }
                // While this batch loads, the next one is read: LOADERS batches load side by side.
                loading.addLast((sharded ? groups.load(name, current, rows.size(), likes, now) : store.load(name, current, rows.size(), likes, now))
                        .invoke(loaded -> {
                            tally.loaded(likes.size(), loaded);
                            if (!loaded.items().isEmpty()) {
                                announcer.changed(new LinkedHashSet<>(loaded.items()));
                            }
                        })
                        .replaceWithVoid().subscribeAsCompletionStage());
                long nowNanos = System.nanoTime();
                if (nowNanos - lastProgress >= PROGRESS_EVERY_SECONDS * 1_000_000_000L) {
                    lastProgress = nowNanos;
                    progress.accept(Progress.line(name, tally.read, source.readFraction(), Duration.ofNanos(nowNanos - started)));
                }
            }
        } finally {
            // Every batch under way ends (committed or not) before the run reports or fails.
            RuntimeException failed = null;
            for (CompletableFuture<Void> batchLoading : loading) {
                try {
                    batchLoading.join();
                } catch (RuntimeException e) {
                    failed = failed == null ? e : failed;
                }
            }
            if (failed != null) {
                throw failed;
            }
        }
        long[] checked = driftCheck(name);
        double seconds = (System.nanoTime() - started) / 1e9;
        return new ImportReport(name, plan.rowsDone(), tally.read, tally.loaded.get(), tally.duplicates.get(), tally.barred.get(),
                tally.bad, List.copyOf(tally.badRows), checked[0], checked[1], seconds);
    }

    /** The drift check over every item the import changed (this run and earlier ones), {@value #LOADERS} batches at a time: {checked, drifted}. */
    private long[] driftCheck(String name) {
        long checked = 0;
        AtomicLong drifted = new AtomicLong();
        Deque<CompletableFuture<Void>> checking = new ArrayDeque<>();
        String after = "";
        while (true) {
            List<String> ids = store.touched(name, after, checkBatch).await().atMost(WAIT);
            if (ids.isEmpty()) {
                checking.forEach(CompletableFuture::join);
                return new long[] {checked, drifted.get()};
            }
            checked += ids.size();
            after = ids.get(ids.size() - 1);
            while (checking.size() >= LOADERS) {
                checking.removeFirst().join();
            }
            checking.addLast(recounts.drifted(ids).invoke(found -> drifted.addAndGet(found.size())).replaceWithVoid().subscribeAsCompletionStage());
        }
    }

    /** The running totals of one run: read and bad by the reading thread, the rest as batches complete. */
    private static final class Tally {
        long read;
        long bad;
        final AtomicLong loaded = new AtomicLong();
        final AtomicLong duplicates = new AtomicLong();
        final AtomicLong barred = new AtomicLong();
        final List<SourceRow.Bad> badRows = new ArrayList<>();

        void bad(SourceRow.Bad row) {
            bad++;
            if (badRows.size() < BAD_ROWS_SHOWN) {
                badRows.add(row);
            }
        }

        void loaded(int given, ImportStore.Loaded batch) {
            loaded.addAndGet(batch.loaded());
            barred.addAndGet(batch.barred());
            duplicates.addAndGet(given - batch.loaded() - batch.barred());
        }
    }
}
