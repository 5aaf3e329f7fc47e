package dev.likes.support;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

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
}
