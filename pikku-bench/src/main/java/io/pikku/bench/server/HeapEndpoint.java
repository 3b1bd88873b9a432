package io.pikku.bench.server;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the load client asks a benchmark server: is it up, and how much heap does it use
 * after a full garbage collection.
 */
@RestController
class HeapEndpoint {

	@GetMapping("/bench/heap")
	Map<String, Object> heap() throws InterruptedException {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		long used = Long.MAX_VALUE;
		// A few collections until the figure settles: finalizable and soft garbage goes
		// too.
		for (int i = 0; i < 5; i++) {
			System.gc();
			Thread.sleep(100);
			used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
		}
		return Map.of("used", used);
	}

}
