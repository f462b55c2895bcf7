# The service image: the thin jar and its dependencies, exactly as `mvn -DskipTests package` leaves them.
#
#   mvn -DskipTests package
#   docker build -t registry.example.com/missed-call-verification:0.1.0-SNAPSHOT .
#
# Used by both Kubernetes variants (k8s/deployment and k8s/camel-k, see k8s/README.md). It runs the same command as
# the top-level README's "Service run": java -jar missed-call-verification.jar (lib/ is on the jar's Class-Path).
FROM eclipse-temurin:17-jre

# A fixed numeric, unprivileged user, so that Kubernetes can verify runAsNonRoot without a runAsUser. The files
# stay owned by root and world-readable: the process cannot change its own code, and OpenShift's arbitrary UIDs
# (group 0) can read them too.
RUN groupadd --system --gid 10001 verification \
 && useradd --system --uid 10001 --gid 10001 --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin verification

WORKDIR /deployments
# dependencies first: they change less often than the application jar, so this layer is usually cached
COPY target/lib/ /deployments/lib/
COPY target/missed-call-verification.jar /deployments/missed-call-verification.jar

# Heap from the container's memory limit (75 %; the rest is metaspace, thread stacks, Kafka/Netty buffers); end the
# process on OutOfMemoryError so Kubernetes restarts it instead of leaving a half-working JVM.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:InitialRAMPercentage=25 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp"

USER 10001:10001
# management HTTP server: /observe/health, /observe/health/live, /observe/health/ready, /observe/metrics
EXPOSE 9876

# exec form: java is PID 1 and receives SIGTERM itself (Camel stops gracefully within camel.main.shutdown-timeout)
ENTRYPOINT ["java", "-jar", "/deployments/missed-call-verification.jar"]
