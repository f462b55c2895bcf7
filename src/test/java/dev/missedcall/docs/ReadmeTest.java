package dev.missedcall.docs;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.missedcall.simulator.TestNumber;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README tells the truth about what the code does. */
class ReadmeTest {

    private static String readme() throws Exception {
        return Files.readString(Path.of("README.md"));
    }

    @Test
    void listsEveryTestNumberAsTheSimulatorDefinesIt() throws Exception {
        assertTrue(readme().contains(TestNumber.markdownTable()),
                "README's test-number table differs from TestNumber.markdownTable():\n" + TestNumber.markdownTable());
    }

    @Test
    void startsWithTheTwoCommands() throws Exception {
        String readme = readme();
        int commands = readme.indexOf("## The two commands");
        assertTrue(commands > 0 && commands < readme.indexOf("## How it works"));
        assertTrue(readme.contains("mvn -Plocal"));
        assertTrue(readme.contains("mvn verify"));
        assertTrue(Files.readString(Path.of(".ci/run")).contains("mvn -B -ntp verify"), "CI runs the README's command");
    }

    @Test
    void documentsEveryProperty() throws Exception {
        String readme = readme();
        for (String line : Files.readAllLines(Path.of("src/main/resources/application.properties"))) {
            if (line.isBlank() || line.startsWith("#") || line.startsWith("camel.")) {
                continue;
            }
            String key = line.substring(0, line.indexOf('=')).trim();
            assertTrue(readme.contains("`" + key + "`"), "README does not document " + key);
        }
    }
}
