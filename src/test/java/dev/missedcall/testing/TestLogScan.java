package dev.missedcall.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Run by {@code mvn verify} after the integration tests: reads every log the test run wrote (test output, the
 * application processes' logs) and fails when a secret key or an unmasked phone number appears in any of them.
 */
public final class TestLogScan {

    /** Every secret key the tests give the application. */
    private static final List<String> SECRETS = List.of("test-secret-key-3f9a1c", "jar-test-secret-7c1e",
            "route-test-key", "completion-recovery-test-key", "fault-run-secret", "local-demo-secret", "sim-secret-key");
    /** The simulator's test numbers and the unique numbers of the durability and fault-injection runs. */
    private static final Pattern FULL_NUMBER = Pattern.compile("\\+447400900\\d{3}(?!\\d)|\\+4479\\d{8}(?!\\d)");

    private TestLogScan() {
    }

    public static void main(String[] args) throws IOException {
        Path target = Path.of(args.length > 0 ? args[0] : "target");
        List<String> findings = new ArrayList<>();
        int files = 0;
        for (String folder : List.of("surefire-reports", "failsafe-reports", "app-logs")) {
            Path dir = target.resolve(folder);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> logs = Files.list(dir)) {
                for (Path log : logs.filter(p -> p.toString().endsWith("-output.txt") || p.toString().endsWith(".log"))
                        .toList()) {
                    files++;
                    scan(log, findings);
                }
            }
        }
        System.out.println("Log scan: " + files + " log files of the test run, " + findings.size()
                + " lines with a secret key or an unmasked phone number");
        findings.stream().limit(20).forEach(System.out::println);
        if (!findings.isEmpty()) {
            throw new IllegalStateException(findings.size() + " log lines leak a secret key or a phone number");
        }
    }

    private static void scan(Path log, List<String> findings) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            boolean secret = SECRETS.stream().anyMatch(line::contains);
            if (secret || FULL_NUMBER.matcher(line).find()) {
                findings.add(log.getFileName() + ":" + (i + 1) + ": " + (line.length() > 200 ? line.substring(0, 200) : line));
            }
        }
    }
}
