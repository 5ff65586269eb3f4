package dev.cronhook.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keeps the arrows of docs/architecture.md true: who may import whom, and where Quartz and Helidon WebServer live. */
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

    @Test
    void domainErrorsAreMappedToRepliesInOnePlace() {
        noClasses().that().resideInAPackage("dev.cronhook.api..")
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
}
