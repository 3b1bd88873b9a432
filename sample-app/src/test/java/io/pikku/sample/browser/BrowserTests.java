package io.pikku.sample.browser;

import java.nio.file.Path;

import io.pikku.channel.runtime.ChannelRuntime;
import io.pikku.sample.SampleApplication;
import io.pikku.sample.todos.TodoRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The sample page end to end in real headless Chromium: two people chatting, live todos,
 * the admin-only clear, a wrong password, and a reconnect after the server closes the
 * sockets. Skipped where Chromium is not installed. With
 * {@code -DargLine=-Dpikku.screenshot=true} it also renews the README's screenshot,
 * {@code docs/sample-app.png}.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class BrowserTests {

	@LocalServerPort
	int port;

	@Autowired
	ChannelRuntime runtime;

	@Autowired
	TodoRepository todos;

	private SamplePage alice;

	private SamplePage bob;

	@BeforeAll
	static void requireChromium() {
		assumeTrue(SamplePage.browserAvailable(), "Browser tests skipped: Chromium is not installed. Install it with "
				+ "'apt-get install chromium chromium-driver' (/usr/bin/chromium, /usr/bin/chromedriver).");
	}

	@BeforeEach
	void openPages() throws Exception {
		this.alice = SamplePage.open(this.port);
		this.bob = SamplePage.open(this.port);
	}

	@AfterEach
	void closePages() throws Exception {
		this.alice.close();
		this.bob.close();
	}

	@Test
	void twoPeopleInOneRoomChatAndSeeEachOther() throws Exception {
		this.alice.joinRoom("lounge");
		this.bob.joinRoom("lounge");
		this.alice.signInAndWait("alice");
		this.bob.signInAndWait("bob");
		this.alice.waitFor("alice sees bob", (d) -> this.alice.people().equals(java.util.List.of("alice", "bob")));
		this.bob.waitFor("bob sees alice", (d) -> this.bob.people().equals(java.util.List.of("alice", "bob")));
		this.alice.say("Hello Bob!");
		this.bob.waitFor("bob receives it",
				(d) -> this.bob.messages().stream().anyMatch((m) -> m.endsWith("alice Hello Bob!")));
		this.bob.say("Hi Alice");
		this.alice.waitFor("alice receives the answer",
				(d) -> this.alice.messages().stream().anyMatch((m) -> m.endsWith("bob Hi Alice")));
		assertThat(this.alice.messages()).anyMatch((m) -> m.endsWith("alice Hello Bob!"));
		if (Boolean.getBoolean("pikku.screenshot")) {
			this.todos.deleteAll();
			this.alice.addTodo("Write the release notes");
			this.alice.waitFor("todo shown", (d) -> !this.alice.todos().isEmpty());
			this.alice.screenshot(Path.of("..", "docs", "sample-app.png"));
		}
		this.alice.screenshot(Path.of("target", "screenshots", "chat.png"));
	}

	@Test
	void aTodoAppearsLiveOnTheOtherPage() {
		this.alice.signInAndWait("alice");
		this.bob.signInAndWait("bob");
		String text = "Buy milk " + System.nanoTime();
		this.alice.addTodo(text);
		this.bob.waitFor("bob sees alice's todo", (d) -> this.bob.todos().contains(text));
	}

	@Test
	void onlyAnAdminMayClearTheTodos() {
		this.alice.signInAndWait("alice");
		this.bob.signInAndWait("bob");
		this.alice.addTodo("Keep me");
		this.bob.waitFor("bob sees the todo", (d) -> this.bob.todos().contains("Keep me"));
		this.bob.clearTodos();
		this.bob.waitFor("bob is told he may not", (d) -> this.bob.toasts().contains("Only admins can do that."));
		assertThat(this.bob.todos()).contains("Keep me");
		this.bob.signInAndWait("admin");
		this.bob.clearTodos();
		this.alice.waitFor("the list empties on alice's page too", (d) -> this.alice.todos().isEmpty());
		this.bob.waitFor("admin is told how many",
				(d) -> this.bob.toasts().stream().anyMatch((t) -> t.startsWith("Cleared ")));
	}

	@Test
	void aWrongPasswordShowsAnError() {
		this.alice.signIn("alice", "not-the-password");
		this.alice.waitFor("the error is shown", (d) -> this.alice.toasts().contains("Wrong username or password"));
	}

	@Test
	void thePageReconnectsAfterTheServerClosesItsSockets() {
		this.alice.joinRoom("reconnect");
		this.bob.joinRoom("reconnect");
		this.alice.signInAndWait("alice");
		this.bob.signInAndWait("bob");
		int aliceChats = this.alice.opens("chat");
		int bobTodos = this.bob.opens("todos");
		this.runtime.connections()
			.forEach((connection) -> this.runtime.close(connection.channelId(), 1012, "restarting"));
		this.alice.waitFor("alice reconnects",
				(d) -> this.alice.opens("chat") > aliceChats && "open".equals(this.alice.status("chat")));
		this.bob.waitFor("bob reconnects",
				(d) -> this.bob.opens("todos") > bobTodos && "open".equals(this.bob.status("todos")));
		this.alice.waitFor("alice is logged in again and sees bob",
				(d) -> this.alice.people().equals(java.util.List.of("alice", "bob")));
		this.alice.say("Still here");
		this.bob.waitFor("bob, reconnected too, receives it",
				(d) -> this.bob.messages().stream().anyMatch((m) -> m.endsWith("alice Still here")));
		String text = "After reconnect " + System.nanoTime();
		this.alice.addTodo(text);
		this.bob.waitFor("live todos work again", (d) -> this.bob.todos().contains(text));
	}

}
