package dev.likes;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import dev.likes.likers.LikersStore;
import dev.likes.ranking.RankingStore;
import dev.likes.ranking.RankingWindow;
import dev.likes.users.UserLikesStore;

/** The benchmark EXPLAINs the service's own read statements: its script must hold them verbatim. */
class BenchExplainScriptTest {

    @Test
    void theExplainScriptPreparesTheServicesReadStatements() throws IOException {
        String script = Files.readString(Path.of("src/bench/explain.sql"));
        for (RankingWindow window : RankingWindow.values()) {
            assertPrepared(script, "ranking_" + window.label(), RankingStore.PAGES.get(window));
        }
        assertPrepared(script, "user_likes", UserLikesStore.PAGE);
        assertPrepared(script, "likers", LikersStore.PAGE);
    }

    private static void assertPrepared(String script, String name, String statement) {
        String prepared = "PREPARE " + name + " AS\n" + statement.strip() + ";\n";
        assertTrue(script.contains(prepared), "src/bench/explain.sql should hold:\n" + prepared);
    }
}
