package dev.likes.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.likes.support.LocalPostgres;
import dev.likes.support.PackagedService;

/**
 * The import command as deploy/import.sh runs it (the packaged service, no HTTP listener), killed
 * with SIGKILL half way through a CSV file and run again: the second run goes on with the batches the
 * first had not finished and ends with every like once, counts equal to rows and a clean drift check;
 * a third run has nothing left to do.
 */
class ImportCommandIT {

    static final int DB_PORT = 54337;
    static final int LIKES = 120_000;

    static LocalPostgres postgres;
    static Path file;
    static Set<String> expected = new HashSet<>();

    @BeforeAll
    static void aDatabaseAndAnExport() throws IOException {
        postgres = LocalPostgres.primary(DB_PORT);
        List<String> lines = new ArrayList<>(List.of("user_id,item_id,created_at"));
        Instant now = Instant.now();
        for (int i = 0; i < LIKES; i++) {
            String user = "u" + (i * 7919L % 20_000);
            String item = "p" + (i * 104_729L % 3_000);
            expected.add(item + "/" + user);
            lines.add(user + "," + item + "," + now.minusSeconds(i * 13L % 2_000_000));
        }
        file = Path.of("target", "import-it.csv").toAbsolutePath();
        Files.write(file, lines);
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.destroy();
        Files.deleteIfExists(file);
    }

    @Test
    void aKilledImportGoesOnToTheSameExactResult() {
        PackagedService first = command("import-killed").launchOnly();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (batchesDone() < 10) {
            assertTrue(first.alive() && System.nanoTime() < deadline, "the import runs and loads batches");
            sleep(20);
        }
        first.kill();
        long batches = batchesDone();
        long rows = Long.parseLong(postgres.psql("SELECT count(*) FROM likes"));
        assertTrue(rows < expected.size(), "killed half way: " + batches + " batches, " + rows + " likes");
        assertEquals("0", drift(), "what the killed run committed is exact");

        PackagedService second = command("import-resumed");
        assertEquals(0, second.runToExit(Duration.ofMinutes(3)), second.log());
        assertTrue(second.log().contains("more were done by earlier runs"), second.log());
        assertTrue(second.log().contains(", 0 drifted"), second.log());
        assertEquals(String.valueOf(expected.size()), postgres.psql("SELECT count(*) FROM likes"));
        assertEquals(String.valueOf(expected.size()), postgres.psql("SELECT sum(likes) FROM like_counts"));
        assertEquals("0", drift());
        assertEquals("0", postgres.psql("""
                SELECT count(*) FROM (SELECT user_id, item_id FROM likes GROUP BY 1, 2 HAVING count(*) > 1) twice"""));

        PackagedService third = command("import-again");
        assertEquals(0, third.runToExit(Duration.ofMinutes(3)), third.log());
        assertTrue(third.log().contains("read 0 rows"), third.log());
        assertEquals(String.valueOf(expected.size()), postgres.psql("SELECT count(*) FROM likes"));
    }

    private static PackagedService command(String name) {
        return new PackagedService(name, 18094, DB_PORT, Map.of(
                "LIKES_IMPORT_CSV", file.toString(),
                "LIKES_IMPORT_BATCH_SIZE", "2000",
                "QUARKUS_HTTP_HOST_ENABLED", "false",
                "LIKES_AUTH_ENABLED", "false"));
    }

    private static long batchesDone() {
        String done = postgres.psql("SELECT count(*) FROM pg_tables WHERE tablename = 'like_import_batches'").equals("1")
                ? postgres.psql("SELECT count(*) FROM like_import_batches") : "0";
        return Long.parseLong(done);
    }

    /** Items whose count, windows or hot score differ from their rows. */
    private static String drift() {
        return postgres.psql("""
                SELECT count(*) FROM like_counts c
                WHERE c.likes <> (SELECT count(*) FROM likes l WHERE l.item_id = c.item_id)
                   OR c.likes_week <> (SELECT coalesce(sum(b.likes), 0) FROM like_buckets b WHERE b.item_id = c.item_id)
                   OR c.hot <> (SELECT coalesce(sum(likes_hot_term(l.created_at, c.hot_base, c.hot_half_life)), 0)
                                FROM likes l WHERE l.item_id = c.item_id)""");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
