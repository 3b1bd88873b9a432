package io.pikku.apidocs;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link ApiServer}.
 */
class ApiServerTests {

	@Test
	void serverSplitsItsUrlForAsyncApi() {
		ApiServer server = ApiServer.of("local", "wss://example.com:8443/app/");
		assertThat(server.host()).isEqualTo("example.com:8443");
		assertThat(server.pathname()).isEqualTo("/app");
		assertThat(server.protocol()).isEqualTo("wss");
		assertThat(ApiServer.of("local", "ws://localhost").pathname()).isEmpty();
	}

	@Test
	void httpUrlIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> ApiServer.of("local", "http://localhost:8080"))
			.withMessage("Server 'local' needs a ws:// or wss:// URL, not 'http://localhost:8080'");
	}

	@Test
	void malformedUrlIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> ApiServer.of("local", "ws://local host"))
			.withMessage("Server 'local' has a malformed URL 'ws://local host'");
	}

	@Test
	void urlWithQueryIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> ApiServer.of("local", "ws://localhost/?a=b"))
			.withMessageContaining("no query or fragment");
	}

	@Test
	void nameThatCannotKeyTheServersIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> ApiServer.of("my server", "ws://localhost"))
			.withMessageContaining("Server name 'my server'");
	}

}
