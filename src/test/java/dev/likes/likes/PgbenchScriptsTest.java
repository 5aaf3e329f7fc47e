package dev.likes.likes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * The benchmark compares the service with pgbench running the service's own write statements, as
 * production runs them (toggle limits on): each script names its {@link ClickStatement} variant on
 * its first line and must stay that variant's statement, with only its parameters filled in.
 */
class PgbenchScriptsTest {

    static final Path SCRIPTS = Path.of("src/bench/pgbench");

    @Test
    void eachScriptSendsTheVariantItNames() throws IOException {
        for (String script : List.of("like.sql", "like_hot.sql", "unlike.sql")) {
            ClickStatement variant = variantOf(script);
            assertEquals(variant.sql().strip(), statementOf(script), script);
            assertEquals(!script.startsWith("unlike"), variant.direction() == Direction.LIKE, script + " likes or unlikes as its name says");
            assertEquals(ClickStatement.Limits.ENFORCED, variant.limits(), script + ": limits on, as production runs");
        }
    }

    /**
     * The comparison script without the hot ranking's part (src/bench/import/run.sh prints what that
     * part costs a click) is like.sql with exactly that part taken out: the hot columns of the counter.
     */
    @Test
    void theScriptWithoutTheHotScoreIsLikeSqlWithoutIt() throws IOException {
        String like = statementOf("like.sql");
        String[][] hotPart = {
                {", hot, hot_base, hot_half_life)", ")"},
                {"g.n, g.n * likes_hot_term($3::timestamptz, f.base, f.half_life), f.base, f.half_life", "g.n"},
                {"FROM levelled g CROSS JOIN (SELECT base, half_life FROM like_hot LIMIT 1) f", "FROM levelled g"},
                {"""
                        likes_week = c.likes_week + excluded.likes_week,
                                hot = c.hot + excluded.likes * likes_hot_term($3::timestamptz, likes_hot_frame(c.hot, c.hot_base, \
                        c.hot_half_life, excluded.hot_base, excluded.hot_half_life), c.hot_half_life),
                                hot_base = likes_hot_frame(c.hot, c.hot_base, c.hot_half_life, excluded.hot_base, excluded.hot_half_life)""",
                        "likes_week = c.likes_week + excluded.likes_week"}};
        for (String[] part : hotPart) {
            assertTrue(like.contains(part[0]), "like.sql has " + part[0]);
            like = like.replace(part[0], part[1]);
        }
        assertEquals(like, statementOf("without/like_without_hot.sql"));
        assertTrue(!like.contains("hot"), like);
    }

    /** On Citus (deploy/citus/drill.sh), the scripts call the function the service calls, with its arguments in order. */
    @Test
    void theCitusScriptsCallTheServicesShardGroupFunction() throws IOException {
        Pattern call = Pattern.compile("SELECT \\* FROM likes_click_group\\(('3000001'|:item::varchar), (true|false), "
                + "ARRAY\\[('3000001'|:item)\\]::varchar\\[\\], ARRAY\\[:user\\]::varchar\\[\\], now\\(\\)\\);");
        assertEquals("SELECT * FROM likes_click_group($1, $2, $3, $4, $5)", ClickStatement.ON_SHARD_GROUP);
        for (String script : List.of("like.sql", "unlike.sql", "like_hot.sql")) {
            String sql = Files.readAllLines(Path.of("deploy/citus", script)).stream()
                    .filter(line -> !line.startsWith("--") && !line.startsWith("\\")).collect(Collectors.joining("\n")).strip();
            assertTrue(call.matcher(sql).matches(), script + ": " + sql);
            assertEquals(!script.startsWith("unlike"), sql.contains(", true, "), script + " likes or unlikes as its name says");
        }
    }

    /** With the limits on, the script takes the allowance as the service does, then sends like.sql's call. */
    @Test
    void theCitusLimitedScriptTakesTheAllowanceFirst() throws IOException {
        assertEquals("SELECT wait FROM likes_limit_group($1, $2, $3, $4, $5, $6)", ShardGroupClicks.TAKE);
        List<String> lines = Files.readAllLines(Path.of("deploy/citus", "like_limited.sql")).stream()
                .filter(line -> !line.startsWith("--") && !line.startsWith("\\")).toList();
        assertEquals(List.of("SELECT * FROM likes_limit_group(:user::varchar, ARRAY[:user]::varchar[], ARRAY[:item]::varchar[], now(), 10, 120);",
                Files.readAllLines(Path.of("deploy/citus", "like.sql")).stream().filter(line -> line.startsWith("SELECT")).findFirst().orElseThrow()),
                lines);
    }

    /** With events on, the script sends like.sql's call to the function that also records the events. */
    @Test
    void theCitusRecordedScriptIsLikeWithItsEvents() throws IOException {
        assertEquals("SELECT * FROM likes_click_recorded($1, $2, $3, $4, $5)", ClickStatement.ON_SHARD_GROUP_RECORDED);
        List<String> lines = Files.readAllLines(Path.of("deploy/citus", "like_recorded.sql")).stream()
                .filter(line -> !line.startsWith("--")).toList();
        assertEquals(Files.readAllLines(Path.of("deploy/citus", "like.sql")).stream().filter(line -> !line.startsWith("--"))
                .map(line -> line.replace("likes_click_group(", "likes_click_recorded(")).toList(), lines);
    }

    /** The variant a script names on its first line: "-- variant: LIKE ENFORCED OFF (...)". */
    private static ClickStatement variantOf(String script) throws IOException {
        String[] named = Files.readAllLines(SCRIPTS.resolve(script)).get(0).replaceFirst("^-- variant: ", "").split(" ");
        return new ClickStatement(Direction.valueOf(named[0]), ClickStatement.Limits.valueOf(named[1]),
                ClickStatement.Events.valueOf(named[2]));
    }

    /** The script's SQL without comments, meta-commands and the closing ";", parameters put back. */
    private static String statementOf(String script) throws IOException {
        return Files.readAllLines(SCRIPTS.resolve(script)).stream()
                .filter(line -> !line.startsWith("--") && !line.startsWith("\\") && !line.equals(";"))
                .collect(Collectors.joining("\n"))
                .replace("ARRAY[:item]::varchar[]", "$1::varchar[]")
                .replace("ARRAY[:user]::varchar[]", "$2::varchar[]")
                .replace("now()", "$3::timestamptz")
                .replace(":per_item::integer", "$4::integer")
                .replace(":per_user::integer", "$5::integer")
                .strip();
    }
}
