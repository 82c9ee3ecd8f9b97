package io.autoreg.registry.dashboard;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The dashboard as a user meets it: the tenant and token form, the filters and what the page shows. */
final class DashboardPage {
    private final WebDriver driver;
    private final String baseUrl;

    DashboardPage(WebDriver driver, String baseUrl) {
        this.driver = driver;
        this.baseUrl = baseUrl;
    }

    DashboardPage open() {
        driver.get(baseUrl + "/");
        return this;
    }

    /** Types tenant and token and presses Enter in the token field (the form submits on Enter). */
    void connect(String tenant, String token) {
        WebElement tenantField = driver.findElement(By.id("tenant"));
        tenantField.clear();
        tenantField.sendKeys(tenant);
        WebElement tokenField = driver.findElement(By.id("token"));
        tokenField.clear();
        tokenField.sendKeys(token, Keys.ENTER);
    }

    <T> T await(Duration timeout, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, timeout, Duration.ofMillis(25)).until(condition);
    }

    void awaitLive(Duration timeout) {
        await(timeout, d -> "live".equals(text("live")) ? Boolean.TRUE : null);
    }

    String text(String id) {
        return driver.findElement(By.id(id)).getText();
    }

    boolean visible(String id) {
        return driver.findElement(By.id(id)).isDisplayed();
    }

    void search(String query) {
        WebElement field = driver.findElement(By.id("search"));
        field.clear();
        if (!query.isEmpty()) {
            field.sendKeys(query);
        } else {
            script("document.getElementById('search').dispatchEvent(new Event('input'))");
        }
    }

    void tag(String tag) {
        new Select(driver.findElement(By.id("tag-filter"))).selectByValue(tag);
    }

    /** What an instance row shows, read in one step (the page updates rows every second), or null if not in view. */
    record Row(String id, String status, String address, String text) {}

    Row row(String id) {
        Object found = script(
                "const r = document.querySelector('#svc-rows .row.inst[data-id=\"' + arguments[0] + '\"]');"
                        + "return r ? [r.dataset.id, r.dataset.status, r.querySelector('.addr').textContent, r.innerText] : null;",
                id);
        if (found == null) {
            return null;
        }
        List<?> cells = (List<?>) found;
        return new Row((String) cells.get(0), (String) cells.get(1), (String) cells.get(2), (String) cells.get(3));
    }

    /** The text of every instance row now in the page (the list is virtual: only those in view exist). */
    @SuppressWarnings("unchecked")
    List<String> rows() {
        return (List<String>)
                script("return [...document.querySelectorAll('#svc-rows .row.inst')].map(r => r.innerText)");
    }

    /** Every instance id the list can show, collected by scrolling it from top to bottom a screenful at a time. */
    @SuppressWarnings("unchecked")
    Set<String> scrollThroughAllIds() {
        Set<String> ids = new LinkedHashSet<>();
        script("document.getElementById('svc-scroll').scrollTop = 0");
        for (int step = 0; step < 100_000; step++) {
            // Scrolls, lets the page's scroll handler render, then reports the rows in view and whether the end is
            // reached.
            List<Object> answer = (List<Object>) ((JavascriptExecutor) driver)
                    .executeAsyncScript("const done = arguments[arguments.length - 1];"
                            + "const s = document.getElementById('svc-scroll');"
                            + "const ids = [...document.querySelectorAll('#svc-rows .row.inst')].map(r => r.dataset.id);"
                            + "const end = s.scrollTop + s.clientHeight >= s.scrollHeight - 1;"
                            + "s.scrollTop += s.clientHeight - 28;"
                            + "requestAnimationFrame(() => requestAnimationFrame(() => done([ids, end])));");
            ids.addAll((List<String>) answer.get(0));
            if ((Boolean) answer.get(1)) {
                return ids;
            }
        }
        throw new AssertionError("the services list never reached its end");
    }

    @SuppressWarnings("unchecked")
    List<String> eventRows(String type) {
        return (List<String>) script(
                "return [...document.querySelectorAll('#events tr')]"
                        + ".filter(r => r.dataset.type === arguments[0]).map(r => r.innerText)",
                type);
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }
}
