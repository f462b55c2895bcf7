package dev.missedcall.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Kubernetes manifests (k8s/), the Dockerfile and the project agree: topic names, configuration keys, secrets,
 * probes, metrics and the routes the Camel K Integration runs. Nothing here needs a cluster; the kustomize build
 * check runs only where kubectl or kustomize is installed.
 */
class ManifestsTest {

    private static final Path K8S = Path.of("k8s");
    private static final Path ROUTES = Path.of("routes");
    private static final Path PROPERTIES = Path.of("src/main/resources/application.properties");

    private static final int MANAGEMENT_PORT = 9876;
    private static final String READY_PATH = "/observe/health/ready";
    private static final String LIVE_PATH = "/observe/health/live";
    private static final String METRICS_PATH = "/observe/metrics";
    private static final String APP_LABEL = "app.kubernetes.io/name";
    private static final String CONFIG_MAP = "missed-call-verification-config";
    private static final String ROUTES_CONFIG_MAP = "missed-call-verification-routes";
    private static final String IMAGE = "missed-call-verification";
    /** Where the Camel K operator mounts an Integration's sources (one file per source, named after it). */
    private static final String CAMEL_K_SOURCES_DIR = "/etc/camel/sources";

    /** Environment variables the application reads that are not properties of application.properties. */
    private static final Set<String> NON_PROPERTY_VARIABLES =
            Set.of("JAVA_TOOL_OPTIONS", "CAMEL_MAIN_PROFILE", "LOG_FORMAT", "MANAGEMENT_PORT");
    /** Which secret key each secret variable comes from. */
    private static final Map<String, String> SECRET_VARIABLES = Map.of(
            "CHECKMOBI_SECRET_KEY", "checkmobi/secret-key",
            "VERIFICATION_STORE_USER", "verification-store/user",
            "VERIFICATION_STORE_PASSWORD", "verification-store/password");

    /** The metrics the dashboard may chart (Micrometer names as Prometheus exposes them), besides camel_*. */
    private static final Set<String> METRICS = Set.of(
            "verification_started_total",
            "verification_outcomes_total",
            "verification_pending",
            "checkmobi_call_seconds_count", "checkmobi_call_seconds_sum", "checkmobi_call_seconds_bucket",
            "checkmobi_charged_amount_total",
            "verification_hangup_lateness_seconds_count", "verification_hangup_lateness_seconds_sum",
            "verification_hangup_lateness_seconds_bucket",
            "verification_dlq_records_total",
            "verification_late_reports_total");
    private static final Set<String> CHARTED_FAMILIES = Set.of(
            "verification_started_total", "verification_outcomes_total", "verification_pending",
            "checkmobi_call_seconds", "checkmobi_charged_amount_total", "verification_hangup_lateness_seconds",
            "verification_dlq_records_total", "verification_late_reports_total",
            "camel_exchanges_total", "camel_exchanges_failed_total");

    /** Route ids the routes/ files must define (as loaded by Camel's YAML DSL). */
    private static final Set<String> ROUTE_IDS = Set.of("command-intake", "callerid-intake",
            "verification-aggregator", "complete-verification", "checkmobi-http", "sweeper", "publish",
            "dead-letter");

    private static final ObjectMapper JSON = new ObjectMapper();

    // ------------------------------------------------------------------------------------------------ the files

    @Test
    void everyFileUnderK8sParses() throws IOException {
        List<Path> files = files(K8S);
        assertTrue(files.size() > 5, "k8s/ holds the manifests");
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                List<Object> documents = yamlDocuments(file);
                assertFalse(documents.isEmpty(), file + " has no YAML document");
                for (Object document : documents) {
                    assertTrue(document instanceof Map, file + ": every document is a mapping");
                }
            } else if (name.endsWith(".json")) {
                assertTrue(JSON.readTree(file.toFile()).isObject(), file + " is a JSON object");
            } else if (name.endsWith(".env")) {
                assertFalse(envFile(file).isEmpty(), file + " sets variables");
            } else if (!name.endsWith(".md")) {
                fail("unexpected file type under k8s/: " + file);
            }
        }
    }

    @Test
    void everyKustomizationReferencesExistingFiles() throws IOException {
        List<Path> kustomizations = files(K8S).stream()
                .filter(f -> f.getFileName().toString().equals("kustomization.yaml")).toList();
        assertEquals(Set.of(K8S.resolve("base"), K8S.resolve("deployment"), K8S.resolve("camel-k")),
                kustomizations.stream().map(Path::getParent).collect(Collectors.toSet()));
        for (Path kustomization : kustomizations) {
            Path dir = kustomization.getParent();
            Map<String, Object> k = map(yamlDocuments(kustomization).get(0));
            assertEquals("Kustomization", k.get("kind"), kustomization.toString());
            for (String resource : strings(k.get("resources"))) {
                Path target = dir.resolve(resource).normalize();
                assertTrue(Files.isRegularFile(target) || Files.isRegularFile(target.resolve("kustomization.yaml")),
                        kustomization + ": resource " + resource + " does not exist");
                assertFalse(resource.contains("secrets.example"), "the example Secrets are never applied");
            }
            for (Object generator : list(k.get("configMapGenerator"))) {
                for (String file : concat(strings(map(generator).get("files")), strings(map(generator).get("envs")))) {
                    String path = file.contains("=") ? file.substring(file.indexOf('=') + 1) : file;
                    assertTrue(Files.isRegularFile(dir.resolve(path).normalize()),
                            kustomization + ": generator file " + path + " does not exist");
                }
            }
            for (String configuration : strings(k.get("configurations"))) {
                assertTrue(Files.isRegularFile(dir.resolve(configuration)), kustomization + ": " + configuration);
            }
        }
        assertTrue(strings(kustomization("deployment").get("resources")).contains("../base"));
        assertTrue(strings(kustomization("camel-k").get("resources")).contains("../base"));
    }

    // ---------------------------------------------------------------------------------------- topics and config

    @Test
    void kafkaTopicsAreTheConfiguredDefaults() throws IOException {
        Properties properties = applicationProperties();
        Set<String> configured = properties.stringPropertyNames().stream()
                .filter(key -> key.startsWith("kafka.topic."))
                .map(key -> properties.getProperty(key).trim()).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(5, configured.size(), "five kafka.topic.* properties");

        Map<String, Map<String, Object>> topics = new TreeMap<>();
        for (Map<String, Object> topic : manifests("KafkaTopic")) {
            String name = string(path(topic, "metadata", "name"));
            Object topicName = path(topic, "spec", "topicName");
            if (topicName != null) {
                assertEquals(name, topicName, "topicName and metadata.name agree");
            }
            assertNotNull(path(topic, "metadata", "labels", "strimzi.io/cluster"), name + ": strimzi.io/cluster");
            assertEquals(3, path(topic, "spec", "replicas"), name + ": 3 replicas");
            assertNotNull(path(topic, "spec", "config", "retention.ms"), name + ": retention.ms");
            topics.put(name, topic);
        }
        assertEquals(configured, topics.keySet(), "KafkaTopics = defaults of kafka.topic.* in application.properties");

        // scale-out rule: partitions >= instances x kafka.consumers for both input topics
        int consumers = Integer.parseInt(properties.getProperty("kafka.consumers").trim());
        int replicas = ((Number) path(deployment(), "spec", "replicas")).intValue();
        for (String input : List.of("kafka.topic.commands", "kafka.topic.callerid")) {
            Map<String, Object> topic = topics.get(properties.getProperty(input).trim());
            int partitions = ((Number) path(topic, "spec", "partitions")).intValue();
            assertTrue(partitions >= replicas * consumers, input + ": " + partitions + " partitions for "
                    + replicas + " instances x " + consumers + " consumers");
        }
        long dlqRetention = retention(topics.get(properties.getProperty("kafka.topic.dlq").trim()));
        assertTrue(dlqRetention >= Duration.ofDays(30).toMillis(), "the DLQ keeps records 30 days");
        for (Map<String, Object> topic : topics.values()) {
            assertTrue(retention(topic) <= dlqRetention, "no topic keeps records longer than the DLQ");
        }
    }

    @Test
    void everyEnvironmentVariableIsAProperty() throws IOException {
        Set<String> keys = applicationProperties().stringPropertyNames().stream()
                .map(ManifestsTest::normalised).collect(Collectors.toSet());
        Map<String, String> variables = environmentVariables();
        assertTrue(variables.keySet().containsAll(List.of("KAFKA_BROKERS", "CHECKMOBI_BASE_URL",
                "VERIFICATION_STORE_URL", "CHECKMOBI_SECRET_KEY", "VERIFICATION_STORE_PASSWORD")), variables.keySet()
                .toString());
        for (Map.Entry<String, String> variable : variables.entrySet()) {
            String name = variable.getKey();
            assertTrue(name.matches("[A-Z][A-Z0-9_]*"), variable.getValue() + ": " + name + " is not an env name");
            assertTrue(NON_PROPERTY_VARIABLES.contains(name) || keys.contains(normalised(name)),
                    variable.getValue() + " sets " + name + ", which is no property of application.properties");
        }
        Map<String, String> config = configEnv();
        assertEquals("prod", config.get("CAMEL_MAIN_PROFILE"));
        assertTrue(Set.of("json", "text").contains(config.get("LOG_FORMAT")), "LOG_FORMAT json|text");
        if (config.containsKey("MANAGEMENT_PORT")) {
            assertEquals(String.valueOf(MANAGEMENT_PORT), config.get("MANAGEMENT_PORT"));
        }
        for (String secret : SECRET_VARIABLES.keySet()) {
            assertFalse(config.containsKey(secret), secret + " is a secret: never in the ConfigMap");
        }
    }

    @Test
    void secretsComeFromTheNamedSecretsWhoseExampleIsFake() throws IOException {
        // the example: two Secrets with the keys the manifests use and values nobody could take for real ones
        Path example = K8S.resolve("base/secrets.example.yaml");
        Map<String, Set<String>> exampleKeys = new TreeMap<>();
        for (Object document : yamlDocuments(example)) {
            Map<String, Object> secret = map(document);
            assertEquals("Secret", secret.get("kind"));
            Map<String, Object> data = map(secret.get("stringData"));
            exampleKeys.put(string(path(secret, "metadata", "name")), data.keySet());
            for (Map.Entry<String, Object> entry : data.entrySet()) {
                if (!entry.getKey().equals("user")) {
                    assertTrue(string(entry.getValue()).contains("EXAMPLE"), "example " + entry.getKey()
                            + " must be obviously fake");
                }
            }
        }
        assertTrue(Files.readString(example).contains("EXAMPLE ONLY"), "the file says it is an example");
        assertEquals(Map.of("checkmobi", Set.of("secret-key"), "verification-store", Set.of("user", "password")),
                exampleKeys);
        // no other file holds a Secret
        for (Path file : files(K8S)) {
            if (!file.equals(example) && file.toString().endsWith(".yaml")) {
                for (Object document : yamlDocuments(file)) {
                    assertFalse("Secret".equals(map(document).get("kind")), file + " holds a Secret");
                }
            }
        }

        // the Deployment
        Map<String, String> fromDeployment = new TreeMap<>();
        for (Object env : list(path(container(deployment()), "env"))) {
            Map<String, Object> ref = map(path(map(env), "valueFrom", "secretKeyRef"));
            if (ref != null) {
                fromDeployment.put(string(map(env).get("name")), ref.get("name") + "/" + ref.get("key"));
            }
        }
        assertEquals(SECRET_VARIABLES, fromDeployment);

        // the Integration (environment trait, VAR=secret:name/key)
        Map<String, String> fromIntegration = new TreeMap<>();
        for (String var : strings(path(integration(), "spec", "traits", "environment", "vars"))) {
            String value = var.substring(var.indexOf('=') + 1);
            if (value.startsWith("secret:")) {
                fromIntegration.put(var.substring(0, var.indexOf('=')), value.substring("secret:".length()));
            }
        }
        assertEquals(SECRET_VARIABLES, fromIntegration);

        for (String reference : SECRET_VARIABLES.values()) {
            String[] nameAndKey = reference.split("/");
            assertTrue(exampleKeys.getOrDefault(nameAndKey[0], Set.of()).contains(nameAndKey[1]), reference);
        }
    }

    // ------------------------------------------------------------------------------------ probes, ports, metrics

    @Test
    void probesAndPortsUseTheManagementServer() throws IOException {
        Map<String, Object> container = container(deployment());
        Map<String, Object> port = map(list(container.get("ports")).get(0));
        assertEquals("management", port.get("name"));
        assertEquals(MANAGEMENT_PORT, port.get("containerPort"));
        assertProbe(container, "readinessProbe", READY_PATH);
        assertProbe(container, "livenessProbe", LIVE_PATH);
        assertNotNull(container.get("startupProbe"), "a startup probe lets the start take its time");
        assertEquals(LIVE_PATH, path(container, "startupProbe", "httpGet", "path"));

        Map<String, Object> service = manifests("Service").get(0);
        Map<String, Object> servicePort = map(list(path(service, "spec", "ports")).get(0));
        assertEquals("management", servicePort.get("name"));
        assertEquals(MANAGEMENT_PORT, servicePort.get("port"));

        Map<String, Object> podMonitor = manifests("PodMonitor").get(0);
        assertEquals("monitoring.coreos.com/v1", podMonitor.get("apiVersion"));
        Map<String, Object> endpoint = map(list(path(podMonitor, "spec", "podMetricsEndpoints")).get(0));
        assertEquals("management", endpoint.get("port"));
        assertEquals(METRICS_PATH, endpoint.get("path"));

        Map<String, Object> traits = map(path(integration(), "spec", "traits"));
        assertTrue(strings(path(traits, "container", "ports")).contains("management;" + MANAGEMENT_PORT));
        Map<String, Object> health = map(traits.get("health"));
        assertEquals(true, health.get("enabled"), "probes are off for self-managed builds unless enabled");
        for (String probe : List.of("readiness", "liveness", "startup")) {
            assertEquals(true, health.get(probe + "ProbeEnabled"), probe);
            assertEquals(MANAGEMENT_PORT, health.get(probe + "Port"), probe + "Port");
        }
        assertEquals(READY_PATH, health.get("readinessProbe"));
        assertEquals(LIVE_PATH, health.get("livenessProbe"));
        assertEquals(LIVE_PATH, health.get("startupProbe"));
        assertEquals(false, path(traits, "prometheus", "enabled"), "the base PodMonitor scrapes the Integration");

        String dockerfile = Files.readString(Path.of("Dockerfile"));
        assertTrue(Pattern.compile("(?m)^EXPOSE " + MANAGEMENT_PORT + "$").matcher(dockerfile).find());
    }

    @Test
    void theSharedPodMonitorSelectsThePodsOfBothVariants() throws IOException {
        Map<String, Object> selector = map(path(manifests("PodMonitor").get(0), "spec", "selector", "matchLabels"));
        assertFalse(selector.isEmpty());
        Map<String, Object> podLabels = map(path(deployment(), "spec", "template", "metadata", "labels"));
        assertTrue(podLabels.entrySet().containsAll(selector.entrySet()), "Deployment pods: " + podLabels);

        Map<String, Object> integration = integration();
        Map<String, Object> propagated = new TreeMap<>();
        for (String label : strings(path(integration, "spec", "traits", "owner", "targetLabels"))) {
            propagated.put(label, path(integration, "metadata", "labels", label));
        }
        assertTrue(propagated.entrySet().containsAll(selector.entrySet()),
                "the owner trait copies the selected labels to the Integration's pods: " + propagated);
    }

    @Test
    void theDeploymentIsHardenedAndStopsGracefully() throws IOException {
        Map<String, Object> deployment = deployment();
        assertEquals(2, path(deployment, "spec", "replicas"));
        Map<String, Object> pod = map(path(deployment, "spec", "template", "spec"));
        // Camel's own default is 45 s when the property is absent
        int shutdownTimeout = Integer.parseInt(
                applicationProperties().getProperty("camel.main.shutdown-timeout", "45").trim());
        int grace = ((Number) pod.get("terminationGracePeriodSeconds")).intValue();
        assertTrue(grace > shutdownTimeout + 5, "grace period " + grace + " s over Camel's " + shutdownTimeout + " s");
        assertEquals(true, path(pod, "securityContext", "runAsNonRoot"));

        Map<String, Object> container = container(deployment);
        assertEquals(IMAGE, container.get("image"), "the image name kustomize's `images` replaces");
        for (String kind : List.of("requests", "limits")) {
            assertNotNull(path(container, "resources", kind, "cpu"), kind + ".cpu");
            assertNotNull(path(container, "resources", kind, "memory"), kind + ".memory");
        }
        assertEquals(true, path(container, "securityContext", "readOnlyRootFilesystem"));
        assertEquals(false, path(container, "securityContext", "allowPrivilegeEscalation"));
        String tmpVolume = list(container.get("volumeMounts")).stream().map(ManifestsTest::map)
                .filter(m -> "/tmp".equals(m.get("mountPath"))).map(m -> string(m.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("/tmp is writable"));
        assertTrue(list(pod.get("volumes")).stream().map(ManifestsTest::map)
                .anyMatch(v -> tmpVolume.equals(v.get("name")) && v.containsKey("emptyDir")), "/tmp is an emptyDir");
        assertEquals(CONFIG_MAP, path(map(list(container.get("envFrom")).get(0)), "configMapRef", "name"));

        Map<String, Object> pdb = manifests("PodDisruptionBudget").get(0);
        assertEquals(1, path(pdb, "spec", "minAvailable"));
        assertEquals(path(deployment, "spec", "selector", "matchLabels"), path(pdb, "spec", "selector", "matchLabels"));
        assertEquals("1", path(integration(), "spec", "traits", "pdb", "minAvailable"));
        assertEquals(2, path(integration(), "spec", "replicas"));
        assertEquals(grace, path(integration(), "spec", "template", "spec", "terminationGracePeriodSeconds"));

        // both variants use the same image, set in the same way
        assertEquals(IMAGE, path(integration(), "spec", "traits", "container", "image"));
        assertEquals(kustomization("deployment").get("images"), kustomization("camel-k").get("images"));
        assertEquals(IMAGE, path(map(list(kustomization("deployment").get("images")).get(0)), "name"));
    }

    @Test
    void theDockerfileRunsThePackagedJarAsAnUnprivilegedUser() throws IOException {
        String dockerfile = Files.readString(Path.of("Dockerfile"));
        assertTrue(dockerfile.contains("FROM eclipse-temurin:17-jre"));
        assertTrue(dockerfile.contains("COPY target/missed-call-verification.jar "));
        assertTrue(dockerfile.contains("COPY target/lib/ "));
        Matcher user = Pattern.compile("(?m)^USER (\\d+)").matcher(dockerfile);
        assertTrue(user.find() && Integer.parseInt(user.group(1)) > 0, "a numeric, non-root USER");
        assertTrue(dockerfile.contains("MaxRAMPercentage"), "the heap follows the container's memory limit");
        assertTrue(dockerfile.contains("ENTRYPOINT [\"java\", \"-jar\", \"/deployments/missed-call-verification.jar\"]"),
                "exec form: java is PID 1 and gets SIGTERM");
        List<String> ignored = Files.readAllLines(Path.of(".dockerignore"));
        assertTrue(ignored.contains("!target/missed-call-verification.jar") && ignored.contains("!target/lib/"));
    }

    // ------------------------------------------------------------------------------------------- Camel K routes

    @Test
    void theIntegrationRunsTheRepositoryRoutes() throws IOException {
        Set<String> repositoryRoutes = routeFiles().keySet();
        assertFalse(repositoryRoutes.isEmpty());

        // the ConfigMap generator reads exactly routes/*.camel.yaml of this repository
        Path camelK = K8S.resolve("camel-k");
        Map<String, Object> generator = list(kustomization("camel-k").get("configMapGenerator")).stream()
                .map(ManifestsTest::map).filter(g -> ROUTES_CONFIG_MAP.equals(g.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + ROUTES_CONFIG_MAP + " generator"));
        Set<String> generated = new TreeSet<>();
        for (String file : strings(generator.get("files"))) {
            assertFalse(file.contains("="), "keys are the file names");
            Path source = camelK.resolve(file).normalize();
            assertEquals(ROUTES.toAbsolutePath().normalize(), source.toAbsolutePath().getParent(), file);
            generated.add(source.getFileName().toString());
        }
        assertEquals(repositoryRoutes, generated, "generator files = routes/*.camel.yaml");

        // the Integration's sources are those keys of that ConfigMap, named after the files
        Set<String> sources = new TreeSet<>();
        for (Object item : list(path(integration(), "spec", "sources"))) {
            Map<String, Object> source = map(item);
            assertEquals(ROUTES_CONFIG_MAP, source.get("contentRef"));
            assertEquals(source.get("name"), source.get("contentKey"));
            assertEquals("yaml", source.get("language"));
            assertFalse(source.containsKey("content"), "no embedded copy that could drift from routes/");
            sources.add(string(source.get("name")));
        }
        assertEquals(repositoryRoutes, sources, "Integration sources = routes/*.camel.yaml");

        // and Camel Main loads the mounted sources instead of the jar's copies
        String pattern = strings(path(integration(), "spec", "traits", "environment", "vars")).stream()
                .filter(v -> v.startsWith("CAMEL_MAIN_ROUTES_INCLUDE_PATTERN=")).findFirst()
                .map(v -> v.substring(v.indexOf('=') + 1))
                .orElseThrow(() -> new AssertionError("CAMEL_MAIN_ROUTES_INCLUDE_PATTERN is set"));
        assertEquals("file:" + CAMEL_K_SOURCES_DIR + "/*.camel.yaml", pattern);
        for (String source : sources) {
            assertTrue(source.endsWith(".camel.yaml") && !source.contains("/"), source + " matches " + pattern);
        }
    }

    @Test
    void camelsYamlDslLoadsTheIntegrationRoutes() throws Exception {
        Set<String> routeIds = new TreeSet<>();
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            for (Map.Entry<String, String> route : routeFiles().entrySet()) {
                PluginHelper.getRoutesLoader(camel)
                        .loadRoutes(ResourceHelper.fromString(route.getKey(), route.getValue()));
            }
            for (RouteDefinition definition : camel.getRouteDefinitions()) {
                routeIds.add(definition.getRouteId());
            }
            assertTrue(camel.getRouteConfigurationDefinitions().size() >= 1, "the shared error handling loads");
        }
        assertTrue(routeIds.containsAll(ROUTE_IDS), "route ids " + routeIds + " lack some of " + ROUTE_IDS);
    }

    /** The real kustomize build (where kubectl or kustomize is installed): hashed names resolved, routes byte-equal. */
    @Test
    void kustomizeBuildsBothVariants() throws Exception {
        List<String> kustomize = kustomizeCommand();
        Assumptions.assumeTrue(kustomize != null, "neither kubectl nor kustomize on PATH");

        List<Map<String, Object>> deployment = build(kustomize, "k8s/deployment");
        String config = generatedName(deployment, CONFIG_MAP);
        Map<String, Object> container = container(ofKind(deployment, "Deployment"));
        assertEquals(config, path(map(list(container.get("envFrom")).get(0)), "configMapRef", "name"));
        assertTrue(string(container.get("image")).endsWith(":" + imageTag()), "images sets the tag");

        List<Map<String, Object>> camelK = build(kustomize, "k8s/camel-k");
        String routes = generatedName(camelK, ROUTES_CONFIG_MAP);
        Map<String, Object> routesMap = camelK.stream()
                .filter(r -> "ConfigMap".equals(r.get("kind")) && routes.equals(path(r, "metadata", "name")))
                .findFirst().orElseThrow();
        assertEquals(routeFiles(), map(routesMap.get("data")), "the ConfigMap holds routes/ byte for byte");
        Map<String, Object> integration = ofKind(camelK, "Integration");
        for (Object source : list(path(integration, "spec", "sources"))) {
            assertEquals(routes, map(source).get("contentRef"));
        }
        assertEquals(generatedName(camelK, CONFIG_MAP), path(map(list(path(
                map(list(path(integration, "spec", "template", "spec", "containers")).get(0)), "envFrom")).get(0)),
                "configMapRef", "name"));
        assertTrue(string(path(integration, "spec", "traits", "container", "image")).endsWith(":" + imageTag()));
    }

    // ---------------------------------------------------------------------------------------------- dashboard

    @Test
    void theDashboardChartsTheBundlesMetrics() throws IOException {
        Map<String, Object> generator = list(kustomization("base").get("configMapGenerator")).stream()
                .map(ManifestsTest::map).filter(g -> strings(g.get("files")).stream().anyMatch(f -> f.endsWith(".json")))
                .findFirst().orElseThrow(() -> new AssertionError("the dashboard ConfigMap"));
        assertEquals("1", path(generator, "options", "labels", "grafana_dashboard"));
        Path file = K8S.resolve("base").resolve(strings(generator.get("files")).get(0));

        JsonNode dashboard = JSON.readTree(file.toFile());
        assertFalse(dashboard.path("uid").asText().isEmpty());
        assertFalse(dashboard.path("title").asText().isEmpty());
        List<String> expressions = new ArrayList<>();
        collectExpressions(dashboard.path("panels"), expressions);
        assertTrue(expressions.size() >= 10, "panels with queries");

        Set<String> charted = new TreeSet<>();
        for (String expression : expressions) {
            Set<String> names = metricNames(expression);
            assertFalse(names.isEmpty(), "no metric in " + expression);
            for (String name : names) {
                assertTrue(METRICS.contains(name) || name.startsWith("camel_"), name + " in " + expression
                        + " is not a metric of the bundle");
            }
            charted.addAll(names);
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            String query = variable.path("query").isObject() ? variable.path("query").path("query").asText()
                    : variable.path("query").asText();
            Matcher labelValues = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,").matcher(query);
            if (labelValues.find()) {
                assertTrue(METRICS.contains(labelValues.group(1)), query);
            }
        }
        for (String family : CHARTED_FAMILIES) {
            assertTrue(charted.stream().anyMatch(name -> name.equals(family) || name.startsWith(family + "_")),
                    "the dashboard charts " + family);
        }
    }

    @Test
    void metricNamesAreReadFromPromQl() {
        assertEquals(Set.of("checkmobi_call_seconds_bucket"), metricNames(
                "histogram_quantile(0.99, sum by (le, endpoint) (rate(checkmobi_call_seconds_bucket{namespace=\"$namespace\"}[$__rate_interval])))"));
        assertEquals(Set.of("verification_outcomes_total", "verification_started_total"), metricNames(
                "sum(rate(verification_outcomes_total{status!=\"VERIFIED\"}[5m])) / sum(rate(verification_started_total[5m])) > 0.1"));
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static void assertProbe(Map<String, Object> container, String probe, String expectedPath) {
        Map<String, Object> httpGet = map(path(container, probe, "httpGet"));
        assertNotNull(httpGet, probe + ".httpGet");
        assertEquals(expectedPath, httpGet.get("path"), probe);
        Object port = httpGet.get("port");
        if (port instanceof String name) {
            Map<String, Object> named = list(container.get("ports")).stream().map(ManifestsTest::map)
                    .filter(p -> name.equals(p.get("name"))).findFirst()
                    .orElseThrow(() -> new AssertionError(probe + ": no container port named " + name));
            port = named.get("containerPort");
        }
        assertEquals(MANAGEMENT_PORT, port, probe + " port");
    }

    /** Every environment variable the manifests set, with where it is set. */
    private static Map<String, String> environmentVariables() throws IOException {
        Map<String, String> variables = new TreeMap<>();
        configEnv().keySet().forEach(name -> variables.put(name, "k8s/base/config.env"));
        for (Object env : list(container(deployment()).get("env"))) {
            variables.put(string(map(env).get("name")), "k8s/deployment/deployment.yaml");
        }
        Map<String, Object> integration = integration();
        for (String var : strings(path(integration, "spec", "traits", "environment", "vars"))) {
            assertTrue(var.contains("="), var);
            variables.put(var.substring(0, var.indexOf('=')), "k8s/camel-k/integration.yaml");
        }
        for (Object container : list(path(integration, "spec", "template", "spec", "containers"))) {
            for (Object env : list(map(container).get("env"))) {
                variables.put(string(map(env).get("name")), "k8s/camel-k/integration.yaml (template)");
            }
        }
        return variables;
    }

    /** Camel's reverse mapping, tolerant of '-' in keys: kafka.group-id and KAFKA_GROUP_ID both become kafka.group.id. */
    private static String normalised(String keyOrVariable) {
        return keyOrVariable.toLowerCase(Locale.ROOT).replace('_', '.').replace('-', '.');
    }

    private static final Set<String> PROMQL_KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by",
            "without", "on", "ignoring", "group_left", "group_right", "inf", "nan", "le");

    /** The metric names a PromQL expression selects (not functions, labels, keywords or Grafana variables). */
    static Set<String> metricNames(String expression) {
        String s = expression
                .replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\$\\{?[A-Za-z_][A-Za-z0-9_]*}?", " ");
        Set<String> names = new TreeSet<>();
        Matcher token = Pattern.compile("(?<![A-Za-z0-9_.:])[A-Za-z_:][A-Za-z0-9_:]*").matcher(s);
        while (token.find()) {
            int next = token.end();
            while (next < s.length() && Character.isWhitespace(s.charAt(next))) {
                next++;
            }
            boolean function = next < s.length() && s.charAt(next) == '(';
            if (!function && !PROMQL_KEYWORDS.contains(token.group().toLowerCase(Locale.ROOT))) {
                names.add(token.group());
            }
        }
        return names;
    }

    private static void collectExpressions(JsonNode panels, List<String> expressions) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                if (target.hasNonNull("expr")) {
                    expressions.add(target.get("expr").asText());
                }
            }
            collectExpressions(panel.path("panels"), expressions);
        }
    }

    private static long retention(Map<String, Object> topic) {
        return Long.parseLong(String.valueOf(path(topic, "spec", "config", "retention.ms")));
    }

    /** routes/*.camel.yaml of this repository: file name to content. */
    private static Map<String, String> routeFiles() throws IOException {
        Map<String, String> routes = new TreeMap<>();
        try (Stream<Path> files = Files.list(ROUTES)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".camel.yaml")).toList()) {
                routes.put(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        return routes;
    }

    private static Properties applicationProperties() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(PROPERTIES)) {
            properties.load(in);
        }
        return properties;
    }

    /** The variables of the ConfigMap the pods take with envFrom (base/config.env). */
    private static Map<String, String> configEnv() throws IOException {
        Map<String, Object> generator = list(kustomization("base").get("configMapGenerator")).stream()
                .map(ManifestsTest::map).filter(g -> CONFIG_MAP.equals(g.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("the " + CONFIG_MAP + " generator"));
        Map<String, String> variables = new LinkedHashMap<>();
        for (String env : strings(generator.get("envs"))) {
            variables.putAll(envFile(K8S.resolve("base").resolve(env)));
        }
        for (String literal : strings(generator.get("literals"))) {
            variables.put(literal.substring(0, literal.indexOf('=')), literal.substring(literal.indexOf('=') + 1));
        }
        return variables;
    }

    private static Map<String, String> envFile(Path file) throws IOException {
        Map<String, String> variables = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            assertTrue(trimmed.matches("[A-Z][A-Z0-9_]*=.*"), file + ": not NAME=value: " + line);
            variables.put(trimmed.substring(0, trimmed.indexOf('=')), trimmed.substring(trimmed.indexOf('=') + 1));
        }
        return variables;
    }

    private static Map<String, Object> kustomization(String dir) throws IOException {
        return map(yamlDocuments(K8S.resolve(dir).resolve("kustomization.yaml")).get(0));
    }

    private static String imageTag() throws IOException {
        return string(map(list(kustomization("deployment").get("images")).get(0)).get("newTag"));
    }

    private static Map<String, Object> deployment() throws IOException {
        return manifests("Deployment").get(0);
    }

    private static Map<String, Object> integration() throws IOException {
        Map<String, Object> integration = manifests("Integration").get(0);
        assertEquals("camel.apache.org/v1", integration.get("apiVersion"));
        return integration;
    }

    private static Map<String, Object> container(Map<String, Object> deployment) {
        List<Object> containers = list(path(deployment, "spec", "template", "spec", "containers"));
        assertEquals(1, containers.size(), "one container");
        return map(containers.get(0));
    }

    /** Every manifest of a kind in the YAML files under k8s/ (exactly one file's worth expected per kind). */
    private static List<Map<String, Object>> manifests(String kind) throws IOException {
        List<Map<String, Object>> found = new ArrayList<>();
        for (Path file : files(K8S)) {
            if (file.toString().endsWith(".yaml") && !file.getFileName().toString().equals("kustomization.yaml")) {
                for (Object document : yamlDocuments(file)) {
                    if (kind.equals(map(document).get("kind"))) {
                        found.add(map(document));
                    }
                }
            }
        }
        assertFalse(found.isEmpty(), "no " + kind + " under k8s/");
        return found;
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static List<Object> yamlDocuments(Path file) {
        try {
            return yamlDocuments(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw new AssertionError(file + " does not parse as YAML: " + e.getMessage(), e);
        }
    }

    private static List<Object> yamlDocuments(String yaml) {
        List<Object> documents = new ArrayList<>();
        for (Object document : new Load(LoadSettings.builder().build()).loadAllFromString(yaml)) {
            if (document != null) {
                documents.add(document);
            }
        }
        return documents;
    }

    private static List<String> kustomizeCommand() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "kustomize"))) {
                return List.of(Path.of(dir, "kustomize").toString(), "build");
            }
            if (Files.isExecutable(Path.of(dir, "kubectl"))) {
                return List.of(Path.of(dir, "kubectl").toString(), "kustomize");
            }
        }
        return null;
    }

    private static List<Map<String, Object>> build(List<String> kustomize, String dir) throws Exception {
        List<String> command = new ArrayList<>(kustomize);
        command.addAll(List.of("--load-restrictor", "LoadRestrictionsNone", dir));
        Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), String.join(" ", command) + " did not end");
        assertEquals(0, process.exitValue(), String.join(" ", command) + ": " + err);
        return yamlDocuments(new String(out, StandardCharsets.UTF_8)).stream().map(ManifestsTest::map).toList();
    }

    private static String generatedName(List<Map<String, Object>> resources, String prefix) {
        List<String> names = resources.stream().filter(r -> "ConfigMap".equals(r.get("kind")))
                .map(r -> string(path(r, "metadata", "name")))
                .filter(n -> n.equals(prefix) || n.matches(Pattern.quote(prefix) + "-[a-z0-9]{10}")).toList();
        assertEquals(1, names.size(), "one ConfigMap generated as " + prefix + ": " + names);
        return names.get(0);
    }

    private static Map<String, Object> ofKind(List<Map<String, Object>> resources, String kind) {
        return resources.stream().filter(r -> kind.equals(r.get("kind"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " in the build"));
    }

    private static Object path(Object node, String... keys) {
        Object current = node;
        for (String key : keys) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(key);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        return (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object node) {
        return node == null ? List.of() : (List<Object>) node;
    }

    private static List<String> strings(Object node) {
        return list(node).stream().map(ManifestsTest::string).toList();
    }

    private static String string(Object node) {
        return node == null ? null : String.valueOf(node);
    }

    private static List<String> concat(Collection<String> a, Collection<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
