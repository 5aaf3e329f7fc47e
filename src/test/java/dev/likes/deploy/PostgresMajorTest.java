package dev.likes.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.likes.support.LocalPostgres;

/**
 * One PostgreSQL major everywhere, stated once: the pom's {@code postgresql.version} (the embedded
 * server's binaries), and every script, manifest and document that names a major follows it.
 */
class PostgresMajorTest {

    @Test
    void everyPostgresqlIsThePomsMajor() throws IOException {
        Matcher version = Pattern.compile("<postgresql.version>(\\d+)\\.").matcher(Files.readString(Path.of("pom.xml")));
        assertTrue(version.find(), "the pom states the version");
        String major = version.group(1);
        contains("deploy/compose.yaml", "image: docker.io/library/postgres:" + major + "\n");
        contains("deploy/kubernetes/overlays/cloudnative-pg/cluster.yaml", "imageName: ghcr.io/cloudnative-pg/postgresql:" + major + "\n");
        contains("deploy/ha/drill.sh", "PG_BIN=/usr/lib/postgresql/" + major + "/bin\n");
        contains("deploy/ha/patroni.yml.in", "bin_dir: /usr/lib/postgresql/" + major + "/bin\n");
        contains("deploy/private-postgres.sh", "PG_MAJOR=" + major + "\n");
        contains("src/bench/run.sh", ". deploy/private-postgres.sh");
        contains("deploy/smoke.sh", ". deploy/private-postgres.sh");
        contains("deploy/citus/drill.sh", ". deploy/private-postgres.sh");
        contains("docs/deploy.md", "**PostgreSQL " + major + "** is the project's one major version");
        String embedded = LocalPostgres.version();
        assertTrue(embedded.startsWith(major + "."), "the embedded binaries are PostgreSQL " + embedded);
    }

    private static void contains(String file, String text) throws IOException {
        assertTrue(Files.readString(Path.of(file)).contains(text), file + " has " + text.strip());
    }
}
