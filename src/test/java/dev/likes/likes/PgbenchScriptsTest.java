package dev.likes.likes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
