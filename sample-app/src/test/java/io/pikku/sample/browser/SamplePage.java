package io.pikku.sample.browser;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The sample page in a real headless Chromium (Debian's, driven by its chromedriver;
 * nothing is downloaded), with the actions a person would take.
 */
final class SamplePage implements AutoCloseable {

	static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private final ChromeDriver driver;

	private final Path profile;

	private final WebDriverWait wait;

	private SamplePage(ChromeDriver driver, Path profile) {
		this.driver = driver;
		this.profile = profile;
		this.wait = new WebDriverWait(driver, Duration.ofSeconds(15));
		this.wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
	}

	static boolean browserAvailable() {
		return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
	}

	static SamplePage open(int port) throws IOException {
		Path profile = Files.createTempDirectory("pikku-chromium-");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
				"--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--disable-dev-shm-usage", "--window-size=1400,860", "--user-data-dir=" + profile);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		ChromeDriver driver = new ChromeDriver(service, options);
		driver.get("http://localhost:" + port + "/");
		SamplePage page = new SamplePage(driver, profile);
		page.waitFor("both sockets open",
				(d) -> "open".equals(page.status("chat")) && "open".equals(page.status("todos")));
		return page;
	}

	String status(String socket) {
		return this.driver.findElement(By.id(socket + "-status")).getAttribute("data-state");
	}

	int opens(String socket) {
		String opens = this.driver.findElement(By.id(socket + "-status")).getAttribute("data-opens");
		return (opens != null) ? Integer.parseInt(opens) : 0;
	}

	void signIn(String user, String password) {
		type("username", user);
		type("password", password);
		this.driver.findElement(By.id("login-button")).click();
	}

	void signInAndWait(String user) {
		signIn(user, user + "-pass");
		waitFor("signed in as " + user,
				(d) -> user.equals(d.findElement(By.id("who-am-i")).getText()) && !people().isEmpty());
	}

	void joinRoom(String room) {
		type("room", room);
		this.driver.findElement(By.id("join-button")).click();
	}

	void say(String message) {
		type("message", message);
		this.driver.findElement(By.id("send-button")).click();
	}

	void addTodo(String text) {
		type("todo-text", text);
		this.driver.findElement(By.id("add-todo")).click();
	}

	void clearTodos() {
		this.driver.findElement(By.id("clear-todos")).click();
	}

	List<String> messages() {
		return texts("#messages li");
	}

	List<String> people() {
		return texts("#people li");
	}

	List<String> todos() {
		return texts("#todos li .text");
	}

	List<String> toasts() {
		return texts("#toasts .toast");
	}

	void waitFor(String what, ExpectedCondition<Boolean> condition) {
		this.wait
			.withMessage(() -> what + "; page shows messages " + messages() + ", people " + people() + ", todos "
					+ todos() + ", toasts " + toasts() + ", chat " + status("chat") + ", todos " + status("todos"))
			.until(condition);
	}

	void screenshot(Path file) throws IOException {
		Files.createDirectories(file.getParent());
		File shot = this.driver.getScreenshotAs(OutputType.FILE);
		Files.copy(shot.toPath(), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
	}

	private void type(String id, String text) {
		WebElement input = this.driver.findElement(By.id(id));
		input.clear();
		input.sendKeys(text);
	}

	/**
	 * Reads the texts in one script, so that a list re-rendered meanwhile is never
	 * half-read.
	 */
	@SuppressWarnings("unchecked")
	private List<String> texts(String selector) {
		return (List<String>) this.driver.executeScript(
				"return Array.from(document.querySelectorAll(arguments[0])).map((e) => e.textContent.trim())",
				selector);
	}

	@Override
	public void close() throws IOException {
		this.driver.quit();
		try (var files = Files.walk(this.profile)) {
			files.sorted(java.util.Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
	}

}
