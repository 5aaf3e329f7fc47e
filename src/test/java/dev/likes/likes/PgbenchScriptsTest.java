package dev.likes.likes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * The benchmark compares the service with pgbench running the service's own write statements: the
 * scripts must stay the statements of {@link LikeStore}, with only their parameters filled in.
 */
class PgbenchScriptsTest {

    static final Path SCRIPTS = Path.of("src/bench/pgbench");

    @Test
    void theLikeScriptsSendTheServicesLikeStatement() throws IOException {
        assertEquals(LikeStore.LIKE.strip(), statementOf("like.sql"));
        assertEquals(LikeStore.LIKE.strip(), statementOf("like_hot.sql"));
    }

    @Test
    void theUnlikeScriptSendsTheServicesUnlikeStatement() throws IOException {
        assertEquals(LikeStore.UNLIKE.strip(), statementOf("unlike.sql"));
    }

    /** The script's SQL without comments, meta-commands and the closing ";", parameters put back. */
    private static String statementOf(String script) throws IOException {
        return Files.readAllLines(SCRIPTS.resolve(script)).stream()
                .filter(line -> !line.startsWith("--") && !line.startsWith("\\") && !line.equals(";"))
                .collect(Collectors.joining("\n"))
                .replace("ARRAY[:item]::varchar[]", "$1::varchar[]")
                .replace("ARRAY[:user]::varchar[]", "$2::varchar[]")
                .replace("now()", "$3::timestamptz")
                .strip();
    }
}
