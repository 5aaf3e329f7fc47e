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
 * production runs them (toggle limits on): the scripts must stay the statements of
 * {@link ClickStatements}, with only their parameters filled in.
 */
class PgbenchScriptsTest {

    static final Path SCRIPTS = Path.of("src/bench/pgbench");

    @Test
    void theLikeScriptsSendTheServicesLikeStatement() throws IOException {
        assertEquals(ClickStatements.LIKE_LIMITED.strip(), statementOf("like.sql"));
        assertEquals(ClickStatements.LIKE_LIMITED.strip(), statementOf("like_hot.sql"));
    }

    @Test
    void theUnlikeScriptSendsTheServicesUnlikeStatement() throws IOException {
        assertEquals(ClickStatements.UNLIKE_LIMITED.strip(), statementOf("unlike.sql"));
    }

    /** On Citus (deploy/citus/drill.sh), the scripts call the function the service calls, with its arguments in order. */
    @Test
    void theCitusScriptsCallTheServicesShardGroupFunction() throws IOException {
        Pattern call = Pattern.compile("SELECT \\* FROM likes_click_group\\(('3000001'|:item::varchar), (true|false), "
                + "ARRAY\\[('3000001'|:item)\\]::varchar\\[\\], ARRAY\\[:user\\]::varchar\\[\\], now\\(\\)\\);");
        assertEquals("SELECT * FROM likes_click_group($1, $2, $3, $4, $5)", ClickStatements.BY_SHARD_GROUP);
        for (String script : List.of("like.sql", "unlike.sql", "like_hot.sql")) {
            String sql = Files.readAllLines(Path.of("deploy/citus", script)).stream()
                    .filter(line -> !line.startsWith("--") && !line.startsWith("\\")).collect(Collectors.joining("\n")).strip();
            assertTrue(call.matcher(sql).matches(), script + ": " + sql);
            assertEquals(!script.startsWith("unlike"), sql.contains(", true, "), script + " likes or unlikes as its name says");
        }
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
