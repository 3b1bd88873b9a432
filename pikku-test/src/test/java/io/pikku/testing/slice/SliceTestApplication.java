package io.pikku.testing.slice;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * An application whose components a {@code @PikkuChannelTest} must not all load.
 */
@SpringBootApplication
public class SliceTestApplication {

}
