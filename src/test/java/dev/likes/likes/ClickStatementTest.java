package dev.likes.likes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.likes.db.PreparedStatements;
import dev.likes.likes.ClickStatement.Events;
import dev.likes.likes.ClickStatement.Limits;

/** The click statement's variants, as its typed description builds them: pure rules, no database. */
class ClickStatementTest {

    /** A relation (CTE) the SQL defines: "WITH name AS (", ", name AS (" or "), name AS (" at the start of a line. */
    private static final Pattern DEFINED = Pattern.compile("(?m)^\\s*\\)?\\s*(?:WITH|,)\\s*(\\w+) AS \\(");

    @Test
    void everyVariantIsBuiltAndTheirStatementsDiffer() {
        List<ClickStatement> all = ClickStatement.all();
        assertEquals(8, all.size());
        assertEquals(8, all.stream().map(ClickStatement::sql).distinct().count());
    }

    @Test
    void everyVariantStaysPrepared() {
        // Unprepared, each batch would be parsed and planned anew, in a round trip of its own.
        for (ClickStatement variant : ClickStatement.all()) {
            assertTrue(PreparedStatements.kept(variant.sql()), variant + ": " + variant.sql().length() + " characters");
        }
    }

    @Test
    void eachPartDefinesInItsSqlWhatItSaysAndNothingElse() {
        for (ClickStatement variant : ClickStatement.all()) {
            for (ClickStatement.Part part : variant.parts()) {
                Set<String> defined = new HashSet<>();
                Matcher m = DEFINED.matcher(part.sql());
                while (m.find()) {
                    defined.add(m.group(1));
                }
                assertEquals(part.defines(), defined, variant + ", part " + part.name());
                for (String need : part.needs()) {
                    assertTrue(Pattern.compile("\\b" + need + "\\b").matcher(part.sql()).find(),
                            variant + ", part " + part.name() + " says it reads " + need + " but does not");
                }
            }
        }
    }

    @Test
    void theVariantsTakeTheParametersTheStoreSends() {
        for (ClickStatement variant : ClickStatement.all()) {
            String sql = variant.sql();
            boolean limited = variant.limits() == Limits.ENFORCED;
            assertEquals(limited || variant.direction() == Direction.LIKE, sql.contains("$3"), variant + ": $3");
            assertEquals(limited, sql.contains("$4") && sql.contains("$5"), variant + ": $4 and $5");
            assertEquals(variant.events() == Events.RECORDED, sql.contains("INSERT INTO like_events"), variant + ": events");
            assertEquals(variant.direction() == Direction.LIKE, sql.contains("INSERT INTO likes "), variant + ": adds rows");
        }
    }

    @Test
    void partsOutOfOrderAreRefused() {
        List<ClickStatement.Part> parts = new ArrayList<>(new ClickStatement(Direction.LIKE, Limits.ENFORCED, Events.RECORDED).parts());
        Collections.swap(parts, 1, 2);
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> ClickStatement.assemble(parts));
        assertTrue(refused.getMessage().contains("needs granted"), refused.getMessage());
    }

    @Test
    void aRelationDefinedTwiceIsRefused() {
        List<ClickStatement.Part> parts = new ArrayList<>(new ClickStatement(Direction.UNLIKE, Limits.OFF, Events.OFF).parts());
        parts.add(1, parts.get(0));
        assertThrows(IllegalStateException.class, () -> ClickStatement.assemble(parts));
    }
}
