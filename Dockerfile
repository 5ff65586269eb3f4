# Builds the Cronhook server image used by docker-compose.yml.
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY pom.xml ./
COPY webhook-delivery webhook-delivery
COPY scheduler scheduler
COPY incident-receiver incident-receiver
COPY api api
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:21-jre
WORKDIR /opt/cronhook
COPY --from=build /src/api/target/cronhook.jar ./cronhook.jar
COPY --from=build /src/api/target/libs ./libs
ENV CRONHOOK_DATA_DIR=/var/lib/cronhook
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/opt/cronhook/cronhook.jar"]
