package dev.likes.support;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** Programs the tests use when the machine has them (kubectl, promtool, a browser). */
public final class Commands {

    private Commands() {
    }

    /** The executable {@code command} in the first PATH directory that has one. */
    public static Optional<Path> onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Arrays.stream(path.split(File.pathSeparator)).map(dir -> Path.of(dir, command)).filter(Files::isExecutable).findFirst();
    }

    /**
     * Goes on only where {@code command} is installed: where it is not, the test fails if the
     * environment variable {@code required} is set (CI sets it, so that a check cannot pass by being
     * skipped), and is skipped otherwise, saying {@code what} the command checks.
     */
    public static void need(String command, String required, String what) {
        boolean installed = onPath(command).isPresent();
        Assertions.assertTrue(installed || System.getenv(required) == null,
                command + " is required (" + required + ") but not installed: " + what);
        Assumptions.assumeTrue(installed, command + " " + what + "; it is not installed here");
    }
}
