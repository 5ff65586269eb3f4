package dev.cronhook.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the arrows of docs/architecture.md true: who may import whom, between modules and between the packages inside
 * each, and where Quartz and Helidon WebServer live.
 */
class ModuleBoundariesTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.cronhook");
    }

    @Test
    void deliveryImportsNoOtherModule() {
        noClasses().that().resideInAPackage("dev.cronhook.delivery..")
                .should().dependOnClassesThat()
                .resideInAnyPackage("dev.cronhook.scheduler..", "dev.cronhook.incident..", "dev.cronhook.api..")
                .check(classes);
    }

    @Test
    void whatEveryModuleSharesImportsNoModule() {
        noClasses().that().resideInAPackage("dev.cronhook.common..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.cronhook.delivery..",
                        "dev.cronhook.scheduler..", "dev.cronhook.incident..", "dev.cronhook.api..")
                .check(classes);
    }

    /** The codecs raise a domain error as any service does (a body that is no object); only ErrorMapper maps them. */
    @Test
    void domainErrorsAreMappedToRepliesInOnePlace() {
        noClasses().that().resideInAPackage("dev.cronhook.api..")
                .and().resideOutsideOfPackage("dev.cronhook.api.codec..")
                .and().doNotHaveFullyQualifiedName("dev.cronhook.api.http.ErrorMapper")
                .should().dependOnClassesThat().haveNameMatching("dev\\.cronhook\\.common\\.DomainException.*")
                .check(classes);
    }

    @Test
    void schedulerAndReceiverNeverImportEachOther() {
        noClasses().that().resideInAPackage("dev.cronhook.scheduler..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.cronhook.incident..", "dev.cronhook.api..")
                .check(classes);
        noClasses().that().resideInAPackage("dev.cronhook.incident..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.cronhook.scheduler..", "dev.cronhook.api..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void quartzStaysInItsAdapter() {
        noClasses().that().resideOutsideOfPackage("dev.cronhook.scheduler.quartz..")
                .should().dependOnClassesThat().resideInAPackage("org.quartz..")
                .check(classes);
    }

    @Test
    void onlyTheApiKnowsTheWebServer() {
        noClasses().that().resideOutsideOfPackage("dev.cronhook.api..")
                .should().dependOnClassesThat().resideInAPackage("io.helidon.webserver..")
                .check(classes);
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.cronhook.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void schedulerPackagesPointOneWay() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("module").definedBy("dev.cronhook.scheduler")
                .layer("notify").definedBy("dev.cronhook.scheduler.notify..")
                .layer("runs").definedBy("dev.cronhook.scheduler.runs..")
                .layer("jobs").definedBy("dev.cronhook.scheduler.jobs..")
                .layer("quartz").definedBy("dev.cronhook.scheduler.quartz..")
                .whereLayer("module").mayNotBeAccessedByAnyLayer()
                .whereLayer("notify").mayOnlyBeAccessedByLayers("module")
                .whereLayer("runs").mayOnlyBeAccessedByLayers("module", "notify")
                .whereLayer("jobs").mayOnlyBeAccessedByLayers("module", "notify", "runs")
                .whereLayer("quartz").mayOnlyBeAccessedByLayers("runs")
                .check(classes);
    }

    @Test
    void receiverPackagesPointOneWay() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("receiver").definedBy("dev.cronhook.incident")
                .layer("intake").definedBy("dev.cronhook.incident.intake..")
                .layer("channels").definedBy("dev.cronhook.incident.channels..")
                .layer("integrations").definedBy("dev.cronhook.incident.integrations..")
                .layer("incidents").definedBy("dev.cronhook.incident.incidents..")
                .layer("checks").definedBy("dev.cronhook.incident.checks..")
                .whereLayer("receiver").mayNotBeAccessedByAnyLayer()
                .whereLayer("checks").mayOnlyBeAccessedByLayers("receiver")
                .whereLayer("intake").mayOnlyBeAccessedByLayers("receiver")
                .whereLayer("channels").mayOnlyBeAccessedByLayers("receiver")
                .whereLayer("integrations").mayOnlyBeAccessedByLayers("receiver", "intake", "channels")
                .whereLayer("incidents").mayOnlyBeAccessedByLayers("receiver", "intake", "channels", "integrations")
                .check(classes);
    }

    @Test
    void deliveryPackagesPointOneWay() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("outbox").definedBy("dev.cronhook.delivery.outbox..")
                .layer("cluster").definedBy("dev.cronhook.delivery.cluster..")
                .layer("http").definedBy("dev.cronhook.delivery.http..")
                .layer("attempts").definedBy("dev.cronhook.delivery.attempts..")
                .layer("signing").definedBy("dev.cronhook.delivery.signing..")
                .layer("net").definedBy("dev.cronhook.delivery.net..")
                .whereLayer("outbox").mayNotBeAccessedByAnyLayer()
                .whereLayer("cluster").mayOnlyBeAccessedByLayers("outbox")
                .whereLayer("http").mayOnlyBeAccessedByLayers("outbox")
                .whereLayer("attempts").mayOnlyBeAccessedByLayers("outbox", "http")
                .whereLayer("signing").mayOnlyBeAccessedByLayers("outbox", "http")
                .whereLayer("net").mayOnlyBeAccessedByLayers("outbox", "http")
                .check(classes);
    }
}
