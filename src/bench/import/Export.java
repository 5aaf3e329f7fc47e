import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A Django-style export for src/bench/import/run.sh: java Export.java PREFIX LIKES FILE writes LIKES
 * distinct (user, item) pairs of 100,000 items and 200,000 users (ids PREFIX + "u"/"i" + number),
 * times spread over the 30 days before now, as id,user_id,item_id,created_at with PostgreSQL's time text.
 */
public class Export {
    public static void main(String[] args) throws IOException {
        String prefix = args[0];
        long likes = Long.parseLong(args[1]);
        long now = Instant.now().getEpochSecond();
        DateTimeFormatter text = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);
        try (BufferedWriter out = Files.newBufferedWriter(Path.of(args[2]))) {
            out.write("id,user_id,item_id,created_at\n");
            for (long i = 0; i < likes; i++) {
                long item = i % 100_000;
                // Each item's users are distinct: user = the row's "lap" through the items, spread.
                long user = (i / 100_000 * 7_919 + item * 31) % 200_000;
                Instant at = Instant.ofEpochSecond(now - Math.floorMod(i * 2_654_435_761L, 2_592_000L), i % 1_000_000 * 1_000);
                out.write((i + 1) + "," + prefix + "u" + user + "," + prefix + "i" + item + "," + text.format(at) + "+00\n");
            }
        }
    }
}
